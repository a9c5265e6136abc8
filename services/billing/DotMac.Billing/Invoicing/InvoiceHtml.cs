using System.Globalization;
using System.Net;
using System.Text;

namespace DotMac.Billing.Invoicing;

/// <summary>An invoice as a self-contained HTML page (printable; every value HTML-encoded).</summary>
public static class InvoiceHtml
{
    public static string Render(InvoiceResponse invoice)
    {
        var currency = invoice.Currency;
        var digits = Money.MinorUnit(currency);
        string Amount(decimal value) => WebUtility.HtmlEncode(value.ToString($"N{digits}", CultureInfo.InvariantCulture) + " " + currency);
        static string E(string? value) => WebUtility.HtmlEncode(value ?? "");
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Invoice ").Append(E(invoice.Number ?? "draft")).Append("</title>");
        html.Append("<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;width:100%}")
            .Append("td,th{padding:.35rem .5rem;border-bottom:1px solid #ddd;text-align:left}td.n,th.n{text-align:right}.status{text-transform:uppercase;font-weight:600}</style></head><body>");
        html.Append("<header><h1>Invoice ").Append(E(invoice.Number ?? "(draft)")).Append("</h1>");
        html.Append("<p>Status: <span class=\"status\">").Append(E(invoice.Status.Replace('_', ' '))).Append("</span></p>");
        html.Append("<dl><dt>Customer</dt><dd>").Append(E(invoice.CustomerId.ToString())).Append("</dd>");
        if (invoice.PeriodStart is { } start && invoice.PeriodEnd is { } end)
            html.Append("<dt>Period</dt><dd>").Append(E($"{start:yyyy-MM-dd} to {end:yyyy-MM-dd}")).Append("</dd>");
        if (invoice.IssuedAt is { } issued)
            html.Append("<dt>Issued</dt><dd>").Append(E(issued.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))).Append("</dd>");
        if (invoice.DueAt is { } due)
            html.Append("<dt>Due</dt><dd>").Append(E(due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))).Append("</dd>");
        html.Append("</dl></header><table><thead><tr><th>#</th><th>Description</th><th class=\"n\">Amount</th></tr></thead><tbody>");
        foreach (var line in invoice.Lines ?? [])
            html.Append("<tr><td>").Append(line.Position).Append("</td><td>").Append(E(line.Description)).Append("</td><td class=\"n\">").Append(Amount(line.Amount)).Append("</td></tr>");
        html.Append("</tbody><tfoot>");
        void Row(string label, decimal value) =>
            html.Append("<tr><td></td><th>").Append(E(label)).Append("</th><td class=\"n\">").Append(Amount(value)).Append("</td></tr>");
        Row("Subtotal", invoice.LinesTotal);
        foreach (var tax in invoice.Taxes ?? [])
            Row($"{tax.Name} {tax.Percent.ToString("0.####", CultureInfo.InvariantCulture)}%{(tax.Inclusive ? " (included)" : "")}", tax.Amount);
        Row("Total", invoice.Total);
        if (invoice.AmountPaid > 0)
            Row("Paid", -invoice.AmountPaid);
        if (invoice.AmountCredited > 0)
            Row("Credited", -invoice.AmountCredited);
        Row("Amount due", invoice.AmountDue);
        html.Append("</tfoot></table></body></html>");
        return html.ToString();
    }
}
