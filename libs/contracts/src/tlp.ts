/** Traffic Light Protocol 2.0 labels, from most to least shareable. */
export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];
