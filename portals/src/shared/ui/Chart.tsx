import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
}

/**
 * A time-series line chart (uPlot: canvas, small, fast with thousands of points), resized with its container. The
 * figure has a text alternative: the caption plus each series' latest value, so it says something without sight.
 */
export function Chart({ title, times, series, format = (v) => String(v), height = 220, integer = false, caption = true }: {
  title: string;
  times: number[]; // epoch seconds
  series: ChartSeries[];
  format?: (value: number) => string;
  height?: number;
  /** Counts: ticks on whole numbers only. */
  integer?: boolean;
  /** Off when a heading beside the chart already names it. */
  caption?: boolean;
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 280),
      height,
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, value: (_: uPlot, v: number | null) => (v === null ? "—" : format(v)) }))],
      axes: [{}, { values: (_: uPlot, ticks: number[]) => ticks.map(format), size: 70, ...(integer ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 100_000] } : {}) }],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
    };
    const plot = new uPlot(options, [times, ...series.map((s) => s.values)] as uPlot.AlignedData, element);
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(element.clientWidth, 280), height }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [times, series, format, height, integer]);
  const latest = series.map((s) => {
    const last = [...s.values].reverse().find((v) => v !== null);
    return `${s.label}: ${last === undefined || last === null ? "no data" : format(last)}`;
  });
  return (
    <figure className="chart-figure">
      {caption && <figcaption>{title}</figcaption>}
      <div ref={host} className="chart" role="img" aria-label={`${title}. Latest ${latest.join(", ")}.`} />
    </figure>
  );
}
