import type { Role, Tlp } from '@watchfloor/contracts';

/** The authenticated caller, from the claims of a verified bearer JWT (DOMAIN.md). */
export interface Caller {
  /** Stable subject id from the identity provider. */
  sub: string;
  /** Display name; the `sub` when the token has none. */
  name: string;
  /** Known roles only; unknown role names in the token are ignored. */
  roles: readonly Role[];
  /** OCD-ID the caller acts for; absent for callers bound to no jurisdiction. */
  jurisdiction?: string;
  /** TLP clearance; `clear` when the token states none (least privilege). */
  clearance: Tlp;
  /** Organisation, when the token states one. */
  org?: string;
}

/** The custom claims Watchfloor reads from a JWT, besides the registered ones. */
export interface WatchfloorClaims {
  name?: string;
  roles: readonly Role[];
  jurisdiction?: string;
  clearance?: Tlp;
  org?: string;
}
