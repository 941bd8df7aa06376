import vocabulary from './published-vocabulary.json';

/** What a value outside the published vocabulary is sent as. */
export const CUSTOM = 'custom';

export type VocabularyKind = 'osTemplate' | 'guestOs' | 'osId' | 'osName' | 'osVersionId' | 'productVersion';

const compile = (patterns: string[]) => patterns.map((p) => new RegExp(p));
const KINDS = Object.fromEntries(
  (['osTemplate', 'guestOs', 'osId', 'osName', 'osVersionId', 'productVersion'] as const).map((k) => [k, compile(vocabulary[k])]),
) as Record<VocabularyKind, RegExp[]>;
const VZ_CONF = Object.fromEntries(Object.entries(vocabulary.vzConf).map(([k, v]) => [k, compile(v)])) as Record<string, RegExp[]>;

/** The value when the vendor or a distribution publishes it, otherwise `custom`. */
export function published(kind: VocabularyKind, value: string): string {
  return KINDS[kind].some((re) => re.test(value)) ? value : CUSTOM;
}

/** A vz.conf value as it may be sent; keys without a vocabulary send `custom` only. */
export function publishedVzConf(key: string, value: string): string {
  return (VZ_CONF[key] ?? []).some((re) => re.test(value)) ? value : CUSTOM;
}
