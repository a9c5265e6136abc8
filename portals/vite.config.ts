import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";
import { resolve } from "node:path";

// Two single-page apps from one code base: /console (staff) and /portal (customers). The gateway serves dist/ and
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
