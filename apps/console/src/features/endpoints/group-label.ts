import type { TFunction } from 'i18next';
import type { Group } from './queries';

/** Inventory's name for a site's default group (services/inventory's group repository). */
const STORED_DEFAULT_GROUP_NAME = 'Default group';

/**
 * A group's name as people read it: the two system groups are stored with
 * their English names, so they show in the current language until an
 * administrator renames the default group.
 */
export function groupLabel(group: Pick<Group, 'name' | 'system'>, t: TFunction): string {
  if (group.system === 'deactivated') return t('endpoints:groups.system.deactivated');
  if (group.system === 'default' && group.name === STORED_DEFAULT_GROUP_NAME) {
    return t('endpoints:groups.system.default');
  }
  return group.name;
}
