/** How an indicator is documented: docs/td.md lists every one, and a test keeps the two in step. */
export interface IndicatorDefinition {
  name: string;
  /** The seed types `indicator_value` as String/int: no indicator is a decimal. */
  type: 'integer' | 'string';
  /** The values it takes when its status is 200. */
  range: string;
  meaning: string;
}
