import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import { unwrap } from '../api/problem';
import { useCan } from '../auth/permissions';
import { useGroups } from '../common/lookups';
import { NamedList } from '../common/named-list';
import { SimpleCreate } from '../common/simple-create';

/** Groups: list and add. */
export default function GroupsPage() {
  const canWrite = useCan('groups:write');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const groups = useGroups();
  return (
    <NamedList
      title="Groups"
      basePath="/groups"
      items={(groups.data ?? []).map((g) => ({ ...g, detail: g.description }))}
      detailLabel="Description"
      create={
        canWrite && (
          <SimpleCreate
            label="Group name"
            button="Add group"
            onCreate={async (name) => {
              const g = unwrap(await api.POST('/api/groups', { body: { name } })).data;
              await queryClient.invalidateQueries({ queryKey: ['groups'] });
              navigate(`/groups/${g.id}`);
            }}
          />
        )
      }
    />
  );
}
