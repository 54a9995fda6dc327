import { Button, Group, TextInput } from '@mantine/core';
import { useState } from 'react';
import { problemMessage } from '../api/problem';

/** One text field and an Add button: new tags, groups, households, funds by name. */
export function SimpleCreate(props: {
  label: string;
  button: string;
  onCreate: (name: string) => Promise<unknown>;
}) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setError(`Enter a ${props.label.toLowerCase()}`);
    setBusy(true);
    try {
      await props.onCreate(name.trim());
      setName('');
      setError(undefined);
    } catch (err) {
      setError(problemMessage(err, 'Not saved. Try again.'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <Group align="start">
        <TextInput
          label={props.label}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={error}
          w={280}
        />
        <Button type="submit" mt={25} loading={busy}>
          {props.button}
        </Button>
      </Group>
    </form>
  );
}
