import {
  Alert,
  Button,
  Group,
  Loader,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { useCan } from '../auth/permissions';
import { applyProblem } from '../forms/apply-problem';
import { CURRENCIES, TIME_ZONES } from '../format/church-choices';
import { useChurch } from '../format/church-format';

const FIELDS = [
  'name',
  'timezone',
  'currency',
  'addressLine1',
  'addressLine2',
  'city',
  'region',
  'postalCode',
  'country',
  'taxReceiptText',
] as const;
type Settings = Record<(typeof FIELDS)[number], string>;
const LABELS: Record<(typeof FIELDS)[number], string> = {
  name: 'Church name',
  timezone: 'Time zone',
  currency: 'Currency',
  addressLine1: 'Address line 1',
  addressLine2: 'Address line 2',
  city: 'City',
  region: 'State or region',
  postalCode: 'Postal code',
  country: 'Country',
  taxReceiptText: 'Tax-receipt text on giving statements',
};

/** Church settings (name, time zone, currency, address, tax-receipt text) and the full export download. */
export default function SettingsPage() {
  const church = useChurch();
  const canExport = useCan('church:export');
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [exporting, setExporting] = useState(false);
  const form = useForm<Settings>();
  const { errors, isSubmitting } = form.formState;
  useEffect(() => {
    if (church.data) form.reset(Object.fromEntries(FIELDS.map((f) => [f, church.data[f] ?? ''])) as Settings);
  }, [church.data, form]);

  const save = form.handleSubmit(async (v) => {
    setMessage(undefined);
    try {
      const lines = (k: (typeof FIELDS)[number]) => (v[k].trim() === '' ? null : v[k].trim());
      unwrap(
        await api.PATCH('/api/church', {
          body: {
            name: v.name.trim(),
            timezone: v.timezone,
            currency: v.currency,
            addressLine1: lines('addressLine1'),
            addressLine2: lines('addressLine2'),
            city: lines('city'),
            region: lines('region'),
            postalCode: lines('postalCode'),
            country: lines('country'),
            // Empty: back to the standard sentence.
            taxReceiptText: lines('taxReceiptText'),
          },
        }),
      );
      await queryClient.invalidateQueries({ queryKey: ['church'] });
      setMessage({ ok: true, text: 'Saved.' });
    } catch (err) {
      const rest = applyProblem(err, form.setError, FIELDS);
      if (rest) setMessage({ ok: false, text: rest });
    }
  });

  const download = async () => {
    setExporting(true);
    try {
      const res = await api.GET('/api/church/export', { parseAs: 'blob' });
      if (!res.data) throw new Error('The export failed.');
      const url = URL.createObjectURL(res.data as Blob);
      const a = Object.assign(document.createElement('a'), {
        href: url,
        download: `${church.data?.slug ?? 'church'}-export.json`,
      });
      a.click();
      URL.revokeObjectURL(url);
    } catch (err) {
      setMessage({ ok: false, text: err instanceof Error ? err.message : 'The export failed.' });
    } finally {
      setExporting(false);
    }
  };

  if (church.isPending) return <Loader aria-label="Loading" />;
  return (
    <Stack maw={760}>
      <Title order={1}>Church settings</Title>
      <Text>Church address for signing in: {church.data?.slug}</Text>
      {message && (
        <Alert
          variant="outline"
          color={message.ok ? 'teal.9' : 'red.9'}
          role={message.ok ? 'status' : 'alert'}
        >
          {message.text}
        </Alert>
      )}
      <form onSubmit={save} noValidate>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {FIELDS.filter((f) => f !== 'taxReceiptText').map((f) =>
              f === 'timezone' || f === 'currency' ? (
                <Select
                  key={f}
                  label={LABELS[f]}
                  data={f === 'timezone' ? TIME_ZONES : CURRENCIES}
                  searchable
                  allowDeselect={false}
                  value={form.watch(f)}
                  onChange={(v) => v && form.setValue(f, v, { shouldDirty: true })}
                  error={errors[f]?.message}
                />
              ) : (
                <TextInput key={f} label={LABELS[f]} error={errors[f]?.message} {...form.register(f)} />
              ),
            )}
          </SimpleGrid>
          <Textarea
            label={LABELS.taxReceiptText}
            description="Printed on every year-end statement. Leave empty for the standard sentence: no goods or services were provided in exchange for these contributions, other than intangible religious benefits."
            autosize
            minRows={3}
            maxLength={2000}
            error={errors.taxReceiptText?.message}
            {...form.register('taxReceiptText')}
          />
          <Group>
            <Button type="submit" loading={isSubmitting}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
      {canExport && (
        <Stack gap="xs">
          <Title order={2} size="h3">
            Export
          </Title>
          <Text>Everything the church has in Steeple, as one JSON file.</Text>
          <Group>
            <Button variant="default" onClick={download} loading={exporting}>
              Download export
            </Button>
          </Group>
        </Stack>
      )}
    </Stack>
  );
}
