import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { useCan } from '../auth/permissions';
import { NamedList } from '../common/named-list';
import { SimpleCreate } from '../common/simple-create';

/** Households: list and add. */
export default function HouseholdsPage() {
  const canWrite = useCan('people:write');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const households = useQuery({
    queryKey: ['households'],
    queryFn: async () => unwrap(await api.GET('/api/households', { params: { query: { limit: 200 } } })).data,
  });
  return (
    <NamedList
      title="Households"
      basePath="/households"
      items={households.data ?? []}
      detailLabel="City"
      create={
        canWrite && (
          <SimpleCreate
            label="Household name"
            button="Add household"
            onCreate={async (name) => {
              const h = unwrap(await api.POST('/api/households', { body: { name } })).data;
              await queryClient.invalidateQueries({ queryKey: ['households'] });
              navigate(`/households/${h.id}`);
            }}
          />
        )
      }
    />
  );
}
