/** One thing a service depends on; `check` resolves when it answers. */
export interface DependencyCheck {
  readonly name: string;
  check(): Promise<void>;
}
