import { Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { forwardRef, useState } from 'react';

export interface PersonOption {
  id: string;
  label: string;
}

export type PersonSelectProps = {
  label: string;
  value: string | null;
  onChange: (id: string | null) => void;
  /** Finds people matching typed text (the server searches). */
  search: (text: string) => Promise<PersonOption[]>;
} & Omit<SelectProps, 'data' | 'value' | 'onChange'>;

/**
 * Picks a person by typing part of a name; Enter takes the highlighted match, or the first one
 * (fast keyboard entry).
 */
export const PersonSelect = forwardRef<HTMLInputElement, PersonSelectProps>(
  function PersonSelect(props, ref) {
    const { value, onChange, search: find, ...rest } = props;
    const [text, setText] = useState('');
    const [q] = useDebouncedValue(text.trim(), 120);
    // The chosen person stays listed (the select shows its label) while it is the value.
    const [chosen, setChosen] = useState<PersonOption>();
    const found = useQuery({
      queryKey: ['people', 'pick', q],
      queryFn: () => find(q),
      enabled: q.length > 0,
      placeholderData: keepPreviousData,
    });
    const options = q.length > 0 ? (found.data ?? []) : [];
    const kept = chosen && chosen.id === value && !options.some((o) => o.id === chosen.id) ? [chosen] : [];
    const data = [...kept, ...options].map((o) => ({ value: o.id, label: o.label }));

    const pick = (id: string | null) => {
      const option = data.find((d) => d.value === id);
      setChosen(option && { id: option.value, label: option.label });
      setText(option?.label ?? '');
      onChange(option ? option.value : null);
    };

    return (
      <Select
        ref={ref}
        searchable
        clearable
        selectFirstOptionOnChange
        allowDeselect={false}
        placeholder="Type a name"
        nothingFoundMessage={q ? 'No one found' : undefined}
        {...rest}
        data={data}
        value={value}
        onChange={pick}
        searchValue={text}
        onSearchChange={setText}
        onKeyDown={(e) => {
          // Enter takes the highlighted match, or the first when none is highlighted (the answers
          // came after the typing, so the library highlighted nothing).
          if (e.key !== 'Enter' || options.length === 0 || !text.trim() || value !== null) return;
          e.preventDefault();
          const list = document.getElementById(e.currentTarget.getAttribute('aria-controls') ?? '');
          const highlighted = list?.querySelector<HTMLElement>('[data-combobox-selected]');
          if (highlighted) highlighted.click();
          else pick(options[0]!.id);
        }}
        // The server already matched: show its answers as they are.
        filter={({ options: all }) => all}
      />
    );
  },
);
