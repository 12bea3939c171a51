/** Observable types (`observables[].type`). */
export const OBSERVABLE_TYPES = ['ipv4', 'ipv6', 'domain', 'url', 'email', 'sha256', 'md5', 'phone', 'social_handle', 'file_name'] as const;
export type ObservableType = (typeof OBSERVABLE_TYPES)[number];
