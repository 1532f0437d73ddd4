import { type SettingProblem, validateSettingsPatch } from '@warden/contracts';
import { DomainError, fieldRules } from '@warden/platform';

/**
 * VALIDATION_FAILED for a settings patch the catalog refuses: each problem
 * names the setting (or section), the rule it breaks and what is allowed
 * there, so the console can show it next to the field.
 */
export function settingsRejected(problems: readonly SettingProblem[], prefix: string): DomainError {
  const issues = problems.map((problem) => ({
    path: problem.path === '' ? prefix : `${prefix}.${problem.path}`,
    setting: problem.path,
    rule: problem.rule,
    allowed: problem.allowed,
    message: problem.message,
  }));
  return new DomainError('VALIDATION_FAILED', 'the settings are invalid: ' + messages(problems), {
    issues,
    fields: fieldRules(issues),
  });
}

function messages(problems: readonly SettingProblem[]): string {
  return problems.map((problem) => problem.message).join('; ');
}

/**
 * Checks `patch.settings` of a request against the catalog before
 * `@RpcHandler` parses the whole request, so a bad setting is answered with
 * the catalog's problems (setting, rule, allowed values) rather than zod's
 * bare issue. Put it above `@RpcHandler`: decorators apply bottom-up, so it
 * wraps the parsing method and carries its message-pattern metadata over.
 */
export function SettingsPatchChecked(): MethodDecorator {
  return (_target, _key, descriptor) => {
    const parsing = descriptor.value as unknown as (payload: unknown) => Promise<unknown>;
    const checking = function (this: unknown, payload: unknown): Promise<unknown> {
      const settings = (payload as { patch?: { settings?: unknown } } | null)?.patch?.settings;
      if (settings !== undefined) {
        const checked = validateSettingsPatch(settings);
        if (!checked.ok)
          return Promise.reject(settingsRejected(checked.problems, 'patch.settings'));
      }
      return parsing.call(this, payload);
    };
    for (const key of Reflect.getMetadataKeys(parsing) as unknown[]) {
      Reflect.defineMetadata(key, Reflect.getMetadata(key, parsing), checking);
    }
    (descriptor as { value?: unknown }).value = checking;
    return descriptor;
  };
}
