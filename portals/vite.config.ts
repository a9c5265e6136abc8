import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";
import { resolve } from "node:path";

// Two single-page apps from one code base: /console (staff) and /portal (customers), and the AppHost's dashboard. The gateway serves dist/ and
// falls back to each app's index.html below its prefix; the apps call the gateway's /api/v1 on the same origin.
export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "static",
    sourcemap: false,
    target: "es2022",
    rollupOptions: {
      input: {
        console: resolve(import.meta.dirname, "console/index.html"),
        portal: resolve(import.meta.dirname, "portal/index.html"),
        // The AppHost's dashboard (resources, traces, logs, metrics): copied beside the AppHost, never served by the gateway.
        dashboard: resolve(import.meta.dirname, "dashboard/index.html"),
      },
    },
  },
  server: {
    // `npm run dev` beside a running fleet: the gateway answers the API.
    proxy: { "/api": process.env.DOTMAC_GATEWAY ?? "http://localhost:5000" },
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
