import type { TenantDb } from '../../tenancy/tenant-database.js';
import { type AddressColumns, addressFields, NO_ADDRESS } from '../postal-address.js';
import { GivingErrors } from './giving-errors.js';
import * as repo from './statements.repository.js';
import type {
  Address,
  FundTotal,
  HouseholdStatement,
  PersonStatement,
  StatementDonation,
} from './statements.schemas.js';

/** Statements print the address as line1/line2 (the schema's names). */
function toAddress(r: AddressColumns): Address {
  const { addressLine1: line1, addressLine2: line2, ...rest } = addressFields(r);
  return { line1, line2, ...rest };
}

/**
 * Totals tax-deductible splits: reversals carry negative amounts, so a reversed gift dated in
 * the year nets to zero in its fund and in the total, while both rows stay listed.
 */
export function summarize(lines: readonly repo.StatementLine[]) {
  const donations: StatementDonation[] = [];
  const funds = new Map<string, FundTotal>();
  let totalCents = 0;
  for (const line of lines) {
    let d = donations[donations.length - 1];
    if (d?.id !== line.donationId) {
      d = {
        id: line.donationId,
        personId: line.personId,
        receivedOn: line.receivedOn,
        method: line.method,
        checkNumber: line.checkNumber,
        reversesId: line.reversesId,
        amountCents: 0,
        splits: [],
      };
      donations.push(d);
    }
    d.amountCents += line.amountCents;
    d.splits.push({ fundId: line.fundId, fundName: line.fundName, amountCents: line.amountCents });
    const fund = funds.get(line.fundId) ?? { fundId: line.fundId, fundName: line.fundName, totalCents: 0 };
    fund.totalCents += line.amountCents;
    funds.set(line.fundId, fund);
    totalCents += line.amountCents;
  }
  const byFund = [...funds.values()].sort(
    (a, b) => a.fundName.localeCompare(b.fundName) || a.fundId.localeCompare(b.fundId),
  );
  return { totalCents, byFund, donations };
}

async function core(db: TenantDb, donor: repo.Donor, year: number) {
  const church = await repo.churchProfile(db);
  // Provisioning always writes the profile; a bare database still gets a usable statement.
  const profile = church ?? { name: 'Church', currency: 'USD', ...NO_ADDRESS };
  const lines = await repo.deductibleLines(db, donor, `${year}-01-01`, `${year}-12-31`);
  // A gift in a batch counts once the batch is committed (counted and deposited), as in other
  // church giving systems; one recorded outside any batch counts at once.
  const waiting = new Set(lines.filter((l) => l.inOpenBatch).map((l) => l.donationId));
  return {
    church: { name: profile.name, address: toAddress(profile) },
    year,
    currency: profile.currency,
    ...summarize(lines.filter((l) => !l.inOpenBatch)),
    uncommittedDonations: waiting.size,
  };
}

/** A person's yearly contribution statement: their own gifts to tax-deductible funds. */
export async function personStatement(
  db: TenantDb,
  personId: string,
  year: number,
): Promise<PersonStatement> {
  const person = await repo.findPersonForStatement(db, personId);
  if (!person) throw GivingErrors.personNotFound();
  const household = await repo.findHouseholdOfPerson(db, personId);
  return {
    person: {
      id: person.id,
      firstName: person.first_name,
      lastName: person.last_name,
      preferredName: person.preferred_name,
      email: person.email,
    },
    address: household ? toAddress(household) : null,
    ...(await core(db, { personId }, year)),
  };
}

/** A joint statement: gifts recorded for the household and by its current members. */
export async function householdStatement(
  db: TenantDb,
  householdId: string,
  year: number,
): Promise<HouseholdStatement> {
  const household = await repo.findHouseholdForStatement(db, householdId);
  if (!household) throw GivingErrors.householdNotFound();
  const members = await repo.householdMemberNames(db, householdId);
  return {
    household: { id: household.id, name: household.name },
    members: members.map((m) => ({ id: m.id, firstName: m.first_name, lastName: m.last_name, role: m.role })),
    address: toAddress(household),
    ...(await core(db, { householdId }, year)),
  };
}
