/** Injection token of the command service's validated configuration. */
export const COMMAND_CONFIG = Symbol('COMMAND_CONFIG');
