import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** FAF `/reports/attach/` data: tracker bugs, comments, URLs linked to a bthash. */
@Entity('report_attachment')
@Index('report_attachment_bthash_idx', ['bthash'])
export class ReportAttachmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  bthash!: string;

  @Column('text')
  type!: string;

  @Column('text')
  data!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
