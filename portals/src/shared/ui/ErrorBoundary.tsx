import { Component, type ErrorInfo, type ReactNode } from "react";

/** A page that throws while rendering shows what happened and a way back, never a blank screen. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.warn("Page failed to render", error, info.componentStack);
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="alert error" role="alert">
        <p>This page could not be shown: {this.state.error.message}</p>
        <button type="button" className="button" onClick={() => this.setState({ error: null })}>Try again</button>
      </div>
    );
  }
}
