import { StrictMode, type ComponentType } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { AppProvider, createServices } from "./app";
import { ErrorBoundary } from "./ui/ErrorBoundary";
import "./styles.css";

/** Starts one of the apps: its own session (per tab), its router below its prefix, an error boundary around it all. */
export function mount(App: ComponentType, { sessionKey, basename }: { sessionKey: string; basename: string }) {
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <AppProvider services={createServices(sessionKey)}>
        <BrowserRouter basename={basename}>
          <ErrorBoundary>
            <App />
          </ErrorBoundary>
        </BrowserRouter>
      </AppProvider>
    </StrictMode>,
  );
}
