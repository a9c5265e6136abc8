import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { AppProvider, createServices } from "../shared/app";
import "../shared/styles.css";
import { App } from "./App";
import { ErrorBoundary } from "../shared/ui/ErrorBoundary";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <AppProvider services={createServices("dotmac.console.session")}>
      <BrowserRouter basename="/console">
        <ErrorBoundary>
          <App />
        </ErrorBoundary>
      </BrowserRouter>
    </AppProvider>
  </StrictMode>,
);
