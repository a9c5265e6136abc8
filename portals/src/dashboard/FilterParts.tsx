import { get, type Stats } from "./api";
import { useLoad } from "../shared/ui/hooks";

/** "Live": the list refreshes itself while ticked. */
export function LiveToggle({ live, onChange }: { live: boolean; onChange: (live: boolean) => void }) {
  return (
    <label className="inline-check">
      <input type="checkbox" checked={live} onChange={(e) => onChange(e.target.checked)} /> Live
    </label>
  );
}

/** A select of the services the receiver has heard from. */
export function ServiceField({ id, value, onChange }: { id: string; value: string; onChange: (e: { target: { value: string } }) => void }) {
  const stats = useLoad((signal) => get<Stats>("/api/telemetry/stats", signal), []);
  return (
    <div className="field">
      <label htmlFor={id}>Service</label>
      <select id={id} value={value} onChange={onChange}>
        <option value="">Any</option>
        {(stats.data?.services ?? []).map((s) => <option key={s} value={s}>{s}</option>)}
      </select>
    </div>
  );
}

export function FilterActions({ onClear }: { onClear: () => void }) {
  return (
    <div className="filter-actions">
      <button type="submit" className="button primary">Search</button>
      <button type="button" className="button" onClick={onClear}>Clear</button>
    </div>
  );
}
