import { Link } from "react-router";
import { PageHeader } from "../../shared/ui/Shell";
import { Alert } from "../../shared/ui/Feedback";

export function Forbidden({ what }: { what: string }) {
  return (
    <>
      <PageHeader title={what} />
      <Alert kind="warning">
        Your role does not allow this page, or no tenant is selected. <Link to="/">Back to the overview</Link>
      </Alert>
    </>
  );
}
