import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import type { components } from '../api/schema';

export type YearEndSummary = components['schemas']['YearEndSummary'];
export type YearEndRun = components['schemas']['YearEndRun'];

/** Who gave in a year, the figures the statements show, and the donors without email. */
export function useYearEndSummary(year: number) {
  return useQuery({
    queryKey: ['year-end', year],
    queryFn: async () =>
      unwrap(await api.GET('/api/giving/year-end/{year}', { params: { path: { year } } })).data,
  });
}

/** Whether a run has nothing more to report: every statement recorded and each sent or failed. */
export function runFinished(run: YearEndRun): boolean {
  return run.status === 'failed' || (run.status === 'done' && run.sent + run.failed >= run.queued);
}

/** A run's progress, asked again every second until it is finished. */
export function useYearEndRun(id: string | undefined) {
  return useQuery({
    queryKey: ['year-end-run', id],
    enabled: id !== undefined,
    queryFn: async () =>
      unwrap(await api.GET('/api/giving/year-end-runs/{id}', { params: { path: { id: id! } } })).data,
    refetchInterval: (q) => (q.state.data && runFinished(q.state.data) ? false : 1000),
  });
}

/** Starts emailing the year's statements (or joins the run already going). */
export async function startYearEndEmails(year: number): Promise<YearEndRun> {
  return unwrap(await api.POST('/api/giving/year-end/{year}/emails', { params: { path: { year } } })).data;
}

/** Downloads every donor's statement for the year as one ZIP file. */
export async function downloadYearEndZip(year: number): Promise<void> {
  const res = await api.GET('/api/giving/year-end/{year}/statements.zip', {
    params: { path: { year } },
    parseAs: 'blob',
  });
  const blob = unwrap(res);
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), {
    href: url,
    download: `giving-statements-${year}.zip`,
  });
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked once the browser has taken the file.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
