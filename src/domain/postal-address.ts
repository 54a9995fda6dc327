/**
 * The postal address that the church profile and households both carry: the same six columns,
 * the same API fields, the same patch rules. One mapping, so the two never drift apart.
 */
export interface AddressColumns {
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  region: string | null;
  postal_code: string | null;
  country: string | null;
}

export interface AddressFields {
  addressLine1: string | null;
  addressLine2: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
}

export const NO_ADDRESS: AddressColumns = {
  address_line1: null,
  address_line2: null,
  city: null,
  region: null,
  postal_code: null,
  country: null,
};

/** Row columns -> API fields. */
export function addressFields(row: AddressColumns): AddressFields {
  return {
    addressLine1: row.address_line1,
    addressLine2: row.address_line2,
    city: row.city,
    region: row.region,
    postalCode: row.postal_code,
    country: row.country,
  };
}

/** The columns a patch changes: fields left out stay as they are, null clears one. */
export function addressColumns(patch: Partial<AddressFields>): Partial<AddressColumns> {
  const cols: Partial<AddressColumns> = {};
  if (patch.addressLine1 !== undefined) cols.address_line1 = patch.addressLine1;
  if (patch.addressLine2 !== undefined) cols.address_line2 = patch.addressLine2;
  if (patch.city !== undefined) cols.city = patch.city;
  if (patch.region !== undefined) cols.region = patch.region;
  if (patch.postalCode !== undefined) cols.postal_code = patch.postalCode;
  if (patch.country !== undefined) cols.country = patch.country;
  return cols;
}
