/** The time zones and currencies a church can choose from (what the browser knows). */
export const TIME_ZONES = Intl.supportedValuesOf('timeZone');
export const CURRENCIES = Intl.supportedValuesOf('currency');
