import { z } from 'zod';
import { INPUT_BOUNDS, safeText } from '../bounds/input-bounds';

/**
 * uReport v2 as libreport's `reporter-ureport` sends it and ABRT Analytics (FAF) checks it
 * (faf src/pyfaf/ureport.py and problemtypes/*.py). Unknown keys are tolerated, as FAF does.
 */
const hex = z.string().regex(/^[a-fA-F0-9]+$/, 'expected a hexadecimal string').max(1024);
// Kernel addresses (0xffffffff81...) exceed 2^53; JSON numbers lose precision there, FAF does too.
const address = z.number().min(0);
const component = z.string().regex(/^[a-zA-Z0-9\-._+]+$/, 'invalid component name').max(256);

export const CoreFrameSchema = z.object({
  address,
  build_id: hex.optional(),
  build_id_offset: z.number().int().min(0),
  file_name: safeText(1024),
  fingerprint: hex.optional(),
  fingerprint_hashed: z.boolean().optional(),
  function_name: safeText(1024).optional(),
});

export const CoreProblemSchema = z.object({
  type: z.literal('core'),
  component,
  user: z.object({ root: z.boolean(), local: z.boolean() }).partial().optional(),
  serial: z.number().int().min(0).optional(),
  signal: z.number().int().min(0),
  executable: safeText(1024),
  only_crash_thread: z.boolean().optional(),
  stacktrace: z
    .array(z.object({ crash_thread: z.boolean().optional(), frames: z.array(CoreFrameSchema).min(1).max(INPUT_BOUNDS.maxFramesPerThread) }))
    .min(1)
    .max(INPUT_BOUNDS.maxThreadsPerReport)
    .refine((threads) => threads.filter((t) => t.crash_thread).length === 1, 'exactly one crash thread required'),
});

export const PythonFrameSchema = z.object({
  file_name: safeText(1024).optional(),
  file_line: z.number().int().min(0).optional(),
  function_name: safeText(1024).optional(),
  special_function: safeText(1024).optional(),
  special_file: safeText(1024).optional(),
  line_contents: safeText(4096).optional(),
});

export const PythonProblemSchema = z.object({
  type: z.literal('python'),
  component,
  user: z.object({ root: z.boolean(), local: z.boolean() }).partial().optional(),
  serial: z.number().int().min(0).optional(),
  exception_name: z.string().regex(/^[a-zA-Z0-9_.]+$/, 'invalid exception name').max(256),
  stacktrace: z.array(PythonFrameSchema).min(1).max(INPUT_BOUNDS.maxFramesPerThread),
});

export const KerneloopsFrameSchema = z.object({
  address: address.optional(),
  reliable: z.boolean(),
  function_name: safeText(1024),
  function_offset: z.number().int().min(0),
  function_length: z.number().int().min(0),
  module_name: safeText(256).optional(),
  from_address: address.optional(),
  from_function_name: safeText(1024).optional(),
  from_function_offset: z.number().int().min(0).optional(),
  from_function_length: z.number().int().min(0).optional(),
  from_module_name: safeText(256).optional(),
  special_stack: safeText(64).optional(),
});

export const KerneloopsProblemSchema = z.object({
  type: z.literal('kerneloops'),
  component: z.string().regex(/^(kernel|xorg-x11-drv-[a-z-]+)(-[a-zA-Z0-9._-]+)?$/, 'component must be kernel or an X driver'),
  serial: z.number().int().min(0).optional(),
  version: safeText(256),
  taint_flags: z.array(safeText(64)).max(64).optional(),
  modules: z.array(safeText(256)).max(INPUT_BOUNDS.maxFramesPerThread).optional(),
  raw_oops: safeText(1 << 20).optional(),
  frames: z.array(KerneloopsFrameSchema).min(1).max(INPUT_BOUNDS.maxFramesPerThread),
});

export const JavaFrameSchema = z.object({
  name: safeText(1024).optional(),
  file_name: safeText(1024).optional(),
  file_line: z.number().int().min(0).optional(),
  class_path: safeText(1024).optional(),
  is_native: z.boolean().optional(),
  is_exception: z.boolean().optional(),
  message: safeText(4096).optional(),
});

export const JavaProblemSchema = z.object({
  type: z.literal('java'),
  component,
  user: z.object({ root: z.boolean(), local: z.boolean() }).partial().optional(),
  serial: z.number().int().min(0).optional(),
  threads: z.array(z.object({ frames: z.array(JavaFrameSchema).min(1).max(INPUT_BOUNDS.maxFramesPerThread) })).min(1).max(INPUT_BOUNDS.maxThreadsPerReport),
});

export const RubyProblemSchema = z.object({
  type: z.literal('ruby'),
  component,
  serial: z.number().int().min(0).optional(),
  exception_name: safeText(256),
  stacktrace: z
    .array(
      z.object({
        file_name: safeText(1024),
        file_line: z.number().int().min(0),
        function_name: safeText(1024).optional(),
        special_function: safeText(1024).optional(),
        block_level: z.number().int().optional(),
        rescue_level: z.number().int().optional(),
      }),
    )
    .min(1)
    .max(INPUT_BOUNDS.maxFramesPerThread),
});

export const UReportProblemSchema = z.discriminatedUnion('type', [
  CoreProblemSchema,
  PythonProblemSchema,
  KerneloopsProblemSchema,
  JavaProblemSchema,
  RubyProblemSchema,
]);

export const UReportPackageSchema = z.object({
  name: safeText(256),
  epoch: z.number().int().min(0).optional(),
  version: safeText(256),
  release: safeText(256),
  architecture: safeText(64),
  install_time: z.number().int().min(0).optional(),
  package_role: safeText(64).optional(),
});

export const UReportV2Schema = z.object({
  ureport_version: z.literal(2, { error: 'ureport_version must be 2' }),
  reason: safeText(512).optional(),
  reporter: z.object({ name: safeText(64), version: safeText(64) }),
  os: z.object({
    name: safeText(64),
    version: safeText(64),
    architecture: safeText(64),
    cpe: safeText(256).optional(),
    desktop: safeText(256).optional(),
    variant: safeText(256).optional(),
    uptime: z.number().int().min(0).optional(),
  }),
  problem: UReportProblemSchema,
  packages: z.array(UReportPackageSchema).max(INPUT_BOUNDS.maxFramesPerThread),
  auth: z.record(safeText(256), safeText(1024)).refine((a) => Object.keys(a).length <= 32, 'at most 32 auth entries').optional(),
});

export type UReportV2 = z.infer<typeof UReportV2Schema>;
export type UReportProblem = z.infer<typeof UReportProblemSchema>;

/** FAF `/reports/attach/` body. */
export const UReportAttachmentSchema = z.object({
  bthash: hex.max(256),
  type: safeText(64).min(1),
  data: safeText(1024).min(1),
});
export type UReportAttachment = z.infer<typeof UReportAttachmentSchema>;
