/** Penalties the coercion engine charges for each kind of adjustment; lower total cost means a closer fit.
 * Union branches and candidate readings of a reply are ranked by these, so their order encodes our preferences. */

/** A scalar converted between types: "8.5" -> 8.5, 1 -> true, 12 -> "12". */
export const SCALAR = 1;
/** A string matched to an enum value or const by case, accents, spacing or punctuation. */
export const FOLDED = 1;
/** An enum value or const found as a word inside longer prose ("The answer is TWO"). */
export const MENTION = 3;
/** A number or boolean read out of longer prose ("1 cup butter" -> 1). */
export const PROSE_SCALAR = 3;
/** A single value wrapped into an array where an array is expected. */
export const WRAP_ARRAY = 2;
/** A value wrapped into the only field of an object where an object is expected. */
export const WRAP_OBJECT = 2;
/** An array element taken where one value is expected. */
export const UNWRAP_ARRAY = 2;
/** Extra charge per further element left behind when unwrapping an array of several. */
export const UNWRAP_ARRAY_EXTRA = 1;
/** The value of a one-key object taken where that key is not expected. */
export const UNWRAP_OBJECT = 2;
/** An object key matched to a property through case/spacing drift. */
export const KEY_DRIFT = 0.25;
/** An object key matched through a declared alias (x-baml-alias is the normal spelling, so it is free). */
export const KEY_ALIAS = 0.1;
/** An unknown key dropped because the schema forbids additional properties. */
export const DROP_EXTRA = 0.5;
/** An array item that fits no enum value, dropped from a list that otherwise fits. */
export const DROP_ITEM = 2;
/** An unknown key kept because the schema allows it (slightly worse than a known key). */
export const KEEP_EXTRA = 0.1;
/** A missing optional field filled with its default or with null. */
export const FILL = 0.2;
/** A missing required field filled with null (partial mode only). */
export const FILL_PARTIAL = 1;
/** An object or array taken as the text it was written as, where a string is expected. */
export const SOURCE_TEXT = 2;
/** Reading the whole reply text as the value instead of what the parser extracted. */
export const RAW_TEXT = 0.25;
/** Each repair step the parser needed to produce a candidate value. */
export const REPAIR_STEP = 1.5;
/** Each later alternative value (document order breaks ties). */
export const LATER_ALTERNATIVE = 0.01;
