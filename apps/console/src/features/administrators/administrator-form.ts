import {
  ACCOUNT_TYPES,
  emailAddressSchema,
  LANGUAGES,
  personNameSchema,
  phoneSchema,
  SITE_PERMISSION_LEVELS,
} from '@warden/contracts';
import { z } from 'zod';
import type { Body, Reply } from '../../api/client';
import { ApiError } from '../../api/errors';

export type Administrator = Reply<'/api/v1/administrators/{administratorId}', 'get'>;
export type AccountType = (typeof ACCOUNT_TYPES)[number];
export type SitePermission = (typeof SITE_PERMISSION_LEVELS)[number];
export type AddAdministratorBody = Body<'/api/v1/administrators', 'post'>;
export type UpdateAdministratorBody = Body<'/api/v1/administrators/{administratorId}', 'patch'>;

/** A site a super admin grants access to. */
export interface SiteRef {
  id: string;
  name: string;
}

/**
 * What the invite wizard and the edit page hold: the fields of identity's
 * administrator schemas as a form types them (an empty phone is "none").
 */
export interface AdministratorForm {
  email: string;
  phone: string;
  firstName: string;
  lastName: string;
  language: (typeof LANGUAGES)[number];
  accountType: AccountType;
  /** Every site of the console → its level (for `admin` accounts). */
  siteAccess: Record<string, SitePermission>;
}

/** The phone is optional: a blank field means none, anything else follows identity's rule. */
const optionalPhone = z
  .string()
  .transform((phone) => phone.trim() || undefined)
  .pipe(phoneSchema.optional());

/**
 * The rules of `administratorInputSchema` / `addAdministratorRequestSchema`
 * (libs/contracts identity.schemas.ts) over the form's fields, so the
 * browser reports what the API would, by the same rule names.
 */
export const administratorFormSchema = z.object({
  email: emailAddressSchema,
  phone: optionalPhone,
  firstName: personNameSchema,
  lastName: personNameSchema,
  language: z.enum(LANGUAGES),
  accountType: z.enum(ACCOUNT_TYPES),
  siteAccess: z.record(z.enum(SITE_PERMISSION_LEVELS)),
});

/** The edit page's values besides the e-mail, which is the login id and is not edited. */
export type EditAdministratorForm = Omit<AdministratorForm, 'email'>;

/** The invite wizard's steps, in order, and the fields each one asks for. */
export const INVITE_STEPS = ['details', 'sitePermissions', 'review'] as const;
export type InviteStep = (typeof INVITE_STEPS)[number];

export const STEP_FIELDS: Record<InviteStep, readonly (keyof AdministratorForm)[]> = {
  details: ['email', 'phone', 'firstName', 'lastName', 'language', 'accountType'],
  sitePermissions: ['siteAccess'],
  review: [],
};

export const FORM_FIELDS = Object.values(STEP_FIELDS).flat();

/**
 * The first step that asks for one of `fields` (the API's names, e.g.
 * `siteAccess.<id>`): where the wizard goes back to when the save is
 * refused for them; undefined when none is a field of the form.
 */
export function stepOfFields(fields: readonly string[]): InviteStep | undefined {
  return INVITE_STEPS.find((step) =>
    fields.some((field) =>
      STEP_FIELDS[step].some((name) => field === name || field.startsWith(`${name}.`)),
    ),
  );
}

/**
 * Every site at `no_access` unless `granted` says otherwise: a new
 * administrator sees nothing they were not given (least privilege), and
 * a site added since their access was set shows as no access.
 */
export function sitePermissionDefaults(
  sites: readonly SiteRef[],
  granted: Readonly<Record<string, SitePermission>> = {},
): Record<string, SitePermission> {
  return Object.fromEntries(sites.map((site) => [site.id, granted[site.id] ?? 'no_access']));
}

/** The wizard's first state: nothing typed yet, the console's current language. */
export function emptyAdministratorForm(
  sites: readonly SiteRef[],
  language: AdministratorForm['language'],
): AdministratorForm {
  return {
    email: '',
    phone: '',
    firstName: '',
    lastName: '',
    language,
    accountType: 'admin',
    siteAccess: sitePermissionDefaults(sites),
  };
}

/** Site access as the API takes it: `no_access` is left out; super admins have every site. */
function siteAccessOf(form: Pick<AdministratorForm, 'accountType' | 'siteAccess'>) {
  if (form.accountType === 'super_admin') return {};
  return Object.fromEntries(
    Object.entries(form.siteAccess).filter(([, level]) => level !== 'no_access'),
  );
}

/** POST /api/v1/administrators from the wizard's values. */
export function toAddRequest(form: AdministratorForm): AddAdministratorBody {
  const phone = form.phone.trim();
  return {
    email: form.email.trim(),
    firstName: form.firstName.trim(),
    lastName: form.lastName.trim(),
    ...(phone ? { phone } : {}),
    language: form.language,
    accountType: form.accountType,
    siteAccess: siteAccessOf(form),
  };
}

/** The edit page's first state: the administrator as they are, every site listed. */
export function editFormOf(
  administrator: Administrator,
  sites: readonly SiteRef[],
): EditAdministratorForm {
  return {
    phone: administrator.phone ?? '',
    firstName: administrator.firstName,
    lastName: administrator.lastName,
    language: administrator.language,
    accountType: administrator.accountType,
    siteAccess: sitePermissionDefaults(sites, administrator.siteAccess),
  };
}

/**
 * PATCH /api/v1/administrators/:id: only what changed (an unchanged
 * provider-support account's type and access are never sent, which the
 * API would refuse); a cleared phone is `null`. Site access is sent whole,
 * each site named, when any level changed or the account becomes an admin.
 */
export function toUpdateRequest(
  administrator: Administrator,
  form: EditAdministratorForm,
): UpdateAdministratorBody {
  const body: UpdateAdministratorBody = {};
  const firstName = form.firstName.trim();
  const lastName = form.lastName.trim();
  const phone = form.phone.trim() || null;
  if (firstName !== administrator.firstName) body.firstName = firstName;
  if (lastName !== administrator.lastName) body.lastName = lastName;
  if (phone !== administrator.phone) body.phone = phone;
  if (form.language !== administrator.language) body.language = form.language;
  if (form.accountType !== administrator.accountType) body.accountType = form.accountType;
  if (form.accountType === 'admin') {
    const changed = Object.entries(form.siteAccess).some(
      ([siteId, level]) => (administrator.siteAccess[siteId] ?? 'no_access') !== level,
    );
    if (changed || body.accountType !== undefined) body.siteAccess = { ...form.siteAccess };
  }
  return body;
}

/** Conflicts the API reports by code rather than as a field rule, and the field each concerns. */
const CONFLICT_FIELDS: Readonly<Record<string, 'email' | 'phone'>> = {
  ADMIN_EMAIL_TAKEN: 'email',
  ADMIN_PHONE_TAKEN: 'phone',
};

/** The field an e-mail or phone conflict (another administrator has it) belongs under. */
export function conflictFieldOf(error: unknown): 'email' | 'phone' | undefined {
  return error instanceof ApiError ? CONFLICT_FIELDS[error.code] : undefined;
}
