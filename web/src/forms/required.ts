/**
 * A react-hook-form rule: the field must hold more than blanks, else `message`. Plain rules keep
 * the sign-in screens light: a schema library would double the first screen's JavaScript.
 */
export const required = (message: string) => ({ validate: (v: string) => v.trim() !== '' || message });
