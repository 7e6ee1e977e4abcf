/** The audience of the dialect's access tokens, and the scope its routes need. */
export const AUDIENCE = 'friendlyscore';
export const SCOPE = 'friendlyscore';
export const DIALECT = 'friendlyscore';
