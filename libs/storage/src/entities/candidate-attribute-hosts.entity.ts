import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Crashing hosts of a candidate per hardware attribute value (a crash without a host counts as a
 * host of its own): the over-representation panel's cells without unnesting every host's
 * attributes. Kept by statement triggers on candidate_host and crash_hardware (AttributeHosts migration).
 */
@Entity('candidate_attribute_hosts')
export class CandidateAttributeHostsEntity {
  @PrimaryColumn('uuid', { name: 'candidate_id' })
  candidateId!: string;

  /** hardware_attribute.id */
  @PrimaryColumn('int', { name: 'attr_id' })
  attrId!: number;

  @Column('int')
  hosts!: number;
}

/** Crashing hosts of a candidate with any value of an attribute: the denominator of its shares. */
@Entity('candidate_attribute_known')
export class CandidateAttributeKnownEntity {
  @PrimaryColumn('uuid', { name: 'candidate_id' })
  candidateId!: string;

  /** The attribute's name, the part of hardware_attribute.key before '='. */
  @PrimaryColumn('text')
  attribute!: string;

  @Column('int')
  hosts!: number;
}
