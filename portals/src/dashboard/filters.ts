import { useState } from "react";
import { useSearchParams } from "react-router";

/**
 * A page's filters kept in its address (so a link or a reload shows the same list): the applied values, a draft the
 * form edits, and apply/clear.
 */
export function useFilters<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ""])) as Record<K, string>;
  const [draft, setDraft] = useState(filters);
  const set = (key: K) => (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value });
  const apply = (event: { preventDefault: () => void }) => {
    event.preventDefault();
    setParams(Object.fromEntries(Object.entries<string>(draft).filter(([, v]) => v.trim() !== "")));
  };
  const clear = () => {
    setDraft(Object.fromEntries(keys.map((k) => [k, ""])) as Record<K, string>);
    setParams({});
  };
  return { key: params.toString(), filters, draft, set, apply, clear };
}
