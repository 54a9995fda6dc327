import type { ImportPreset } from './column-mapping.js';

// Column layouts of giving exports (headers normalized: lower case, no spaces). null = a column
// the system exports that Steeple does not keep. A donor's person id is the id the same system's
// people export carries, so gifts find the people a people import brought in.

/**
 * Planning Center Giving: the donations export (one row per designation of a donation). Its
 * columns follow Giving's donation attributes; spellings seen in reporting tools are listed too.
 */
const planningCenterGiving: ImportPreset = {
  name: 'planning-center-giving',
  source: 'planning-center',
  dateOrder: 'mdy',
  signature: ['donationid', 'receivedat'],
  columns: {
    donationid: 'transactionId',
    createdat: null,
    updatedat: null,
    receivedat: 'date',
    paymentmethod: 'method',
    paymentmethodsub: null,
    paymentmethodtype: null,
    paymentchannel: null,
    paymentstatus: null,
    status: null,
    source: null,
    paymentchecknumber: 'checkNumber',
    paymentcheckdatedat: null,
    paymentlast4: null,
    paymentbrand: null,
    cardbrand: null,
    amount: 'amount',
    fee: null,
    netamount: null,
    fund: 'fund',
    batchid: 'batchId',
    batchdescription: 'batchName',
    personid: 'donorExternalId',
    firstname: 'donorFirstName',
    lastname: 'donorLastName',
    email: 'donorEmail',
    label: null,
    labels: null,
    campus: null,
    refunded: null,
    note: 'note',
  },
};

/** Breeze ChMS: the contributions export (the giving workbook: one row per fund of a payment). */
const breezeContributions: ImportPreset = {
  name: 'breeze-contributions',
  source: 'breeze',
  dateOrder: 'mdy',
  signature: ['paymentid', 'personid'],
  columns: {
    paymentid: 'transactionId',
    date: 'date',
    personid: 'donorExternalId',
    firstname: 'donorFirstName',
    lastname: 'donorLastName',
    email: 'donorEmail',
    amount: 'amount',
    method: 'method',
    methodid: 'method',
    accountnumber: null,
    card: null,
    'fund(s)': 'fund',
    fund: 'fund',
    batch: 'batchId',
    batchname: 'batchName',
    checknumber: 'checkNumber',
    note: 'note',
  },
};

/** Steeple's own layout (field names as headers); also the fallback for any other file. */
const steepleGiving: ImportPreset = {
  name: 'steeple-giving',
  source: 'steeple',
  dateOrder: 'ymd',
  signature: [],
  columns: {
    transactionid: 'transactionId',
    date: 'date',
    amount: 'amount',
    fund: 'fund',
    donorexternalid: 'donorExternalId',
    donoremail: 'donorEmail',
    donorfirstname: 'donorFirstName',
    donorlastname: 'donorLastName',
    method: 'method',
    checknumber: 'checkNumber',
    batchid: 'batchId',
    batchname: 'batchName',
    note: 'note',
  },
};

export const GIVING_PRESETS = [planningCenterGiving, breezeContributions, steepleGiving] as const;
export const GIVING_PRESET_NAMES = [
  'planning-center-giving',
  'breeze-contributions',
  'steeple-giving',
] as const;

export const GIFT_FIELDS = [
  'transactionId',
  'date',
  'amount',
  'fund',
  'donorExternalId',
  'donorEmail',
  'donorFirstName',
  'donorLastName',
  'method',
  'checkNumber',
  'batchId',
  'batchName',
  'note',
] as const;
