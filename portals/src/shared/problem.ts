// RFC 7807 problem details as DotMac's services write them: title, detail, status, a stable `code`, and for 422 an
// `errors` map of field name to messages. The UI shows `errors` next to the fields and the rest above the form.

export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  traceId?: string;
  errors?: Record<string, string[]>;
  [extension: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: ProblemDetails;

  constructor(status: number, problem: ProblemDetails) {
    super(problem.detail || problem.title || `The request failed (${status}).`);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
  }

  get code(): string | undefined {
    return this.problem.code;
  }

  /** Field errors keyed by the field's name as the form knows it (camelCase, last segment of a dotted path). */
  get fieldErrors(): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [key, messages] of Object.entries(this.problem.errors ?? {})) {
      if (!messages?.length) continue;
      const field = normaliseField(key);
      result[field] = result[field] ? `${result[field]} ${messages.join(" ")}` : messages.join(" ");
    }
    return result;
  }
}

/** "Body.PortalId", "$.portalId" or "PortalId" all name the form's "portalId"; "terms.price" names "price". */
export function normaliseField(key: string): string {
  const trimmed = key.replace(/^\$\.?/, "").replace(/^body\./i, "").replace(/\[\d+\]/g, "");
  const parts = trimmed.split(".").filter(Boolean);
  const last = parts[parts.length - 1] ?? trimmed;
  return last.length ? last[0]!.toLowerCase() + last.slice(1) : last;
}

export async function readProblem(response: Response): Promise<ApiError> {
  let problem: ProblemDetails = {};
  const type = response.headers.get("content-type") ?? "";
  if (type.includes("json")) {
    try {
      problem = (await response.json()) as ProblemDetails;
    } catch {
      problem = {};
    }
  }
  if (!problem.title) problem.title = response.statusText || `HTTP ${response.status}`;
  if (response.status === 429 && !problem.detail) {
    const retry = response.headers.get("retry-after");
    problem.detail = retry ? `Too many requests; try again in ${retry} s.` : "Too many requests; try again shortly.";
  }
  return new ApiError(response.status, problem);
}

/** A sentence for a user, never a blank: the problem's detail, or what the status means. */
export function describe(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 403) return error.problem.detail || "You are not allowed to do this.";
    if (error.status === 0) return "The gateway cannot be reached. Check the connection and try again.";
    return error.problem.detail || error.problem.title || `The request failed (${error.status}).`;
  }
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}
