import { useSearchParams } from 'react-router';
import type { Site } from '../../api/console-settings';

/**
 * The site a page shows, kept in the address (`?site=`) so that a reload,
 * a link from the dashboard or going back keeps it: the first site the
 * administrator may see unless the address names another of them.
 */
export function useChosenSite(sites: Site[]): [string | undefined, (siteId: string) => void] {
  const [params, setParams] = useSearchParams();
  const named = params.get('site');
  const siteId = sites.find((site) => site.id === named)?.id ?? sites[0]?.id;
  const choose = (next: string) =>
    setParams(
      (current) => {
        current.set('site', next);
        // Another site starts afresh: a status the address asked for was the other site's.
        current.delete('status');
        return current;
      },
      { replace: true },
    );
  return [siteId, choose];
}
