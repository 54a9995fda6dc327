/** Everything one year-end PDF shows, already summarised: plain data that crosses to a worker thread. */
export interface StatementDocument {
  church: { name: string; addressLines: string[] };
  donor: { name: string; addressLines: string[] };
  year: number;
  currency: string;
  timezone: string;
  receiptText: string;
  totalCents: number;
  byFund: Array<{ fundName: string; totalCents: number }>;
  gifts: Array<{
    receivedOn: string;
    method: string;
    funds: string;
    amountCents: number;
    correction: boolean;
  }>;
  /** The donor's gifts of the year still in open batches (left off, with a note). */
  uncommittedGifts: number;
}
