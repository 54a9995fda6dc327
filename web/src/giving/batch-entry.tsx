import { Button, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useRef, useState } from 'react';
import { FailureAlert } from '../common/failure-alert';
import { ListTable } from '../common/list-table';
import { type PersonOption, PersonSelect } from '../common/person-select';
import { type DonationMethod, METHOD_LABELS, METHOD_OPTIONS } from './methods';

export interface EnteredGift {
  id: string;
  person: string;
  amountCents: number;
  fund: string;
  method: DonationMethod;
  checkNumber: string | null;
}

export interface NewGift {
  personId: string | null;
  amountCents: number;
  fundId: string;
  method: DonationMethod;
  checkNumber: string | null;
}

/**
 * Entering a batch of gifts from the keyboard alone: person (type, Enter), amount, fund and
 * method (kept from the last row), check number, Enter adds the gift and returns to the person
 * field. The running total is shown against the expected total from the deposit slip; a batch
 * whose total differs cannot be committed.
 */
export function BatchEntry(props: {
  funds: readonly { id: string; name: string }[];
  gifts: readonly EnteredGift[];
  money: (minorUnits: number) => string;
  /** Typed money as minor units of the church's currency. */
  parseMoney: (text: string) => number | undefined;
  searchPeople: (text: string) => Promise<PersonOption[]>;
  onAdd: (gift: NewGift) => Promise<void>;
  onRemove: (id: string) => Promise<void>;
  onCommit: () => Promise<void>;
}) {
  const personField = useRef<HTMLInputElement>(null);
  const [personId, setPersonId] = useState<string | null>(null);
  const [amount, setAmount] = useState('');
  const [fundId, setFundId] = useState<string | null>(props.funds[0]?.id ?? null);
  const [method, setMethod] = useState<DonationMethod>('check');
  const [checkNumber, setCheckNumber] = useState('');
  const [expected, setExpected] = useState('');
  const [errors, setErrors] = useState<{ amount?: string; fund?: string; form?: string }>({});
  const [saving, setSaving] = useState(false);
  const [committing, setCommitting] = useState(false);

  const total = props.gifts.reduce((sum, g) => sum + g.amountCents, 0);
  const expectedCents = expected.trim() === '' ? undefined : props.parseMoney(expected);
  const difference = expectedCents === undefined ? undefined : expectedCents - total;
  const fundNow = fundId ?? props.funds[0]?.id ?? null;

  const add = async (e: React.FormEvent) => {
    e.preventDefault();
    const cents = props.parseMoney(amount);
    const problems = {
      amount: cents === undefined || cents <= 0 ? 'Enter an amount' : undefined,
      fund: fundNow ? undefined : 'Choose a fund',
    };
    if (problems.amount || problems.fund) return setErrors(problems);
    setSaving(true);
    try {
      await props.onAdd({
        personId,
        amountCents: cents!,
        fundId: fundNow!,
        method,
        checkNumber: checkNumber.trim() || null,
      });
      setErrors({});
      setPersonId(null);
      setAmount('');
      setCheckNumber('');
      personField.current?.focus();
    } catch (err) {
      setErrors({ form: err instanceof Error ? err.message : 'The gift was not saved.' });
    } finally {
      setSaving(false);
    }
  };

  const commit = async () => {
    setCommitting(true);
    try {
      await props.onCommit();
    } catch (err) {
      setErrors({ form: err instanceof Error ? err.message : 'The batch was not committed.' });
    } finally {
      setCommitting(false);
    }
  };

  return (
    <Stack>
      <form onSubmit={add} noValidate aria-label="New gift">
        <Group align="start" wrap="wrap">
          <PersonSelect
            ref={personField}
            label="Person"
            description="Leave empty for an anonymous gift"
            value={personId}
            onChange={setPersonId}
            search={props.searchPeople}
            autoFocus
            w={260}
          />
          <TextInput
            label="Amount"
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.currentTarget.value)}
            error={errors.amount}
            w={120}
          />
          <Select
            label="Fund"
            data={props.funds.map((f) => ({ value: f.id, label: f.name }))}
            value={fundNow}
            onChange={setFundId}
            allowDeselect={false}
            error={errors.fund}
            w={180}
          />
          <Select
            label="Method"
            data={METHOD_OPTIONS}
            value={method}
            onChange={(v) => v && setMethod(v as DonationMethod)}
            allowDeselect={false}
            w={150}
          />
          <TextInput
            label="Check number"
            value={checkNumber}
            onChange={(e) => setCheckNumber(e.currentTarget.value)}
            w={130}
          />
          <Button type="submit" mt={25} loading={saving}>
            Add gift
          </Button>
        </Group>
      </form>
      <FailureAlert>{errors.form}</FailureAlert>
      <Group align="end">
        <TextInput
          label="Expected total"
          inputMode="decimal"
          value={expected}
          onChange={(e) => setExpected(e.currentTarget.value)}
          w={160}
        />
        <Text role="status" aria-live="polite" fw={600}>
          {props.gifts.length} gifts, total {props.money(total)}
          {difference !== undefined &&
            (difference === 0
              ? ' — matches the expected total'
              : ` — ${props.money(Math.abs(difference))} ${difference > 0 ? 'short' : 'over'}`)}
        </Text>
      </Group>
      <ListTable
        aria-label="Gifts in this batch"
        striped
        columns={['Person', { label: 'Amount', right: true }, 'Fund', 'Method', 'Check number', 'Actions']}
        rows={props.gifts}
        rowKey={(g) => g.id}
        row={(g) => (
          <>
            <Table.Td>{g.person}</Table.Td>
            <Table.Td ta="right">{props.money(g.amountCents)}</Table.Td>
            <Table.Td>{g.fund}</Table.Td>
            <Table.Td>{METHOD_LABELS[g.method]}</Table.Td>
            <Table.Td>{g.checkNumber}</Table.Td>
            <Table.Td>
              <Button
                size="xs"
                variant="subtle"
                color="red"
                onClick={() => props.onRemove(g.id)}
                aria-label={`Remove gift of ${props.money(g.amountCents)} from ${g.person}`}
              >
                Remove
              </Button>
            </Table.Td>
          </>
        )}
      />
      <Group>
        <Button
          onClick={commit}
          loading={committing}
          disabled={props.gifts.length === 0 || (difference !== undefined && difference !== 0)}
        >
          Commit batch
        </Button>
        {difference !== undefined && difference !== 0 && (
          <Text c="red.8">The total must match the expected total to commit.</Text>
        )}
      </Group>
    </Stack>
  );
}
