import { useEffect, useState } from "react";
import { useApi } from "./app";
import { ErrorMessage, Loading } from "./ui/Feedback";

/**
 * The invoice's printable HTML (billing renders it; the call needs the bearer token, so it is fetched and shown from a
 * blob in a sandboxed frame that runs no script), with a download of the same document.
 */
export function InvoiceView({ invoiceId, title }: { invoiceId: string; title: string }) {
  const api = useApi();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let created: string | null = null;
    let cancelled = false;
    api.request<string>(`/api/v1/billing/invoices/${invoiceId}/html`, { text: true }).then(
      (html) => {
        if (cancelled) return;
        created = URL.createObjectURL(new Blob([html], { type: "text/html" }));
        setUrl(created);
      },
      (e) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
      if (created) URL.revokeObjectURL(created);
    };
  }, [api, invoiceId]);
  if (error) return <ErrorMessage error={error} />;
  if (!url) return <Loading label="Rendering the invoice…" />;
  return (
    <>
      <p><a className="button" href={url} download={`${title}.html`}>Download {title} (HTML)</a></p>
      <iframe className="invoice-view" title={title} src={url} sandbox="" />
    </>
  );
}
