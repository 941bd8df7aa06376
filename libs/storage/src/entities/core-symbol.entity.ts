import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Function names learned from symbolized core frames, keyed by build and offset (see core-symbolization). */
@Entity('core_symbol')
export class CoreSymbolEntity {
  @PrimaryColumn('text', { name: 'build_id' })
  buildId!: string;

  @PrimaryColumn('bigint', { name: 'build_id_offset' })
  offset!: string;

  @Column('text', { name: 'function_name' })
  functionName!: string;
}
