import { forwardRef } from 'react';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { personName } from './lookups';
import { type PersonOption, PersonSelect, type PersonSelectProps } from './person-select';

/** Searches the church's people through the API (10 best matches). */
export async function searchPeople(q: string): Promise<PersonOption[]> {
  const people = unwrap(await api.GET('/api/people', { params: { query: { q, limit: 10 } } })).data;
  return people.map((p) => ({ id: p.id, label: `${personName(p)}${p.email ? ` (${p.email})` : ''}` }));
}

/** A person field backed by the API's search. */
export const PersonPicker = forwardRef<HTMLInputElement, Omit<PersonSelectProps, 'search'>>(
  function PersonPicker(props, ref) {
    return <PersonSelect ref={ref} {...props} search={searchPeople} />;
  },
);
