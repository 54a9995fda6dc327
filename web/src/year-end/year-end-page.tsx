import { Text } from '@mantine/core';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useCan } from '../auth/permissions';
import { churchFormat, todayIn, useChurch } from '../format/church-format';
import { downloadYearEndZip, startYearEndEmails, useYearEndRun, useYearEndSummary } from './year-end-api';
import { YearEndView } from './year-end-view';

/** The years offered: this one and the nine before it. */
const YEARS = 10;

/** Year-end statements for a year (last year unless `?year=`): the view, wired to the API. */
export default function YearEndPage() {
  const canRead = useCan('giving:read');
  const canSend = useCan('giving:write');
  const canEditReceipt = useCan('church:manage');
  const church = useChurch().data;
  const timezone = church?.timezone ?? 'UTC';
  const thisYear = Number(todayIn(timezone).slice(0, 4));
  const [params, setParams] = useSearchParams();
  const year = Number(params.get('year') ?? thisYear - 1);
  const [runId, setRunId] = useState<string>();
  const summary = useYearEndSummary(year);
  const run = useYearEndRun(runId);

  if (!canRead) return <Text role="alert">Your role does not include giving.</Text>;
  const fmt = churchFormat(summary.data?.currency ?? church?.currency ?? 'USD', timezone);
  return (
    <YearEndView
      year={year}
      years={Array.from({ length: YEARS }, (_, i) => thisYear - i)}
      onYear={(y) => {
        setRunId(undefined);
        setParams({ year: String(y) });
      }}
      summary={{ data: summary.data, error: summary.error ?? undefined, pending: summary.isPending }}
      money={fmt.money}
      canSend={canSend}
      canEditReceipt={canEditReceipt}
      run={run.data?.year === year ? run.data : undefined}
      onDownload={() => downloadYearEndZip(year)}
      onSend={async () => setRunId((await startYearEndEmails(year)).id)}
    />
  );
}
