import { z } from 'zod';

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
  file_name: z.string().max(1024),
  fingerprint: hex.optional(),
  fingerprint_hashed: z.boolean().optional(),
  function_name: z.string().max(1024).optional(),
});

export const CoreProblemSchema = z.object({
  type: z.literal('core'),
  component,
  user: z.object({ root: z.boolean(), local: z.boolean() }).partial().optional(),
  serial: z.number().int().min(0).optional(),
  signal: z.number().int().min(0),
  executable: z.string().max(1024),
  only_crash_thread: z.boolean().optional(),
  stacktrace: z
    .array(z.object({ crash_thread: z.boolean().optional(), frames: z.array(CoreFrameSchema).min(1) }))
    .min(1)
    .refine((threads) => threads.filter((t) => t.crash_thread).length === 1, 'exactly one crash thread required'),
});

export const PythonFrameSchema = z.object({
  file_name: z.string().max(1024).optional(),
  file_line: z.number().int().min(0).optional(),
  function_name: z.string().max(1024).optional(),
  special_function: z.string().max(1024).optional(),
  special_file: z.string().max(1024).optional(),
  line_contents: z.string().max(4096).optional(),
});

export const PythonProblemSchema = z.object({
  type: z.literal('python'),
  component,
  user: z.object({ root: z.boolean(), local: z.boolean() }).partial().optional(),
  serial: z.number().int().min(0).optional(),
  exception_name: z.string().regex(/^[a-zA-Z0-9_.]+$/, 'invalid exception name').max(256),
  stacktrace: z.array(PythonFrameSchema).min(1),
});

export const KerneloopsFrameSchema = z.object({
  address: address.optional(),
  reliable: z.boolean(),
  function_name: z.string().max(1024),
  function_offset: z.number().int().min(0),
  function_length: z.number().int().min(0),
  module_name: z.string().max(256).optional(),
  from_address: address.optional(),
  from_function_name: z.string().max(1024).optional(),
  from_function_offset: z.number().int().min(0).optional(),
  from_function_length: z.number().int().min(0).optional(),
  from_module_name: z.string().max(256).optional(),
  special_stack: z.string().max(64).optional(),
});

export const KerneloopsProblemSchema = z.object({
  type: z.literal('kerneloops'),
  component: z.string().regex(/^(kernel|xorg-x11-drv-[a-z-]+)(-[a-zA-Z0-9._-]+)?$/, 'component must be kernel or an X driver'),
  serial: z.number().int().min(0).optional(),
  version: z.string().max(256),
  taint_flags: z.array(z.string().max(64)).optional(),
  modules: z.array(z.string().max(256)).optional(),
  raw_oops: z.string().max(1 << 20).optional(),
  frames: z.array(KerneloopsFrameSchema).min(1),
});

export const JavaFrameSchema = z.object({
  name: z.string().max(1024).optional(),
  file_name: z.string().max(1024).optional(),
  file_line: z.number().int().min(0).optional(),
  class_path: z.string().max(1024).optional(),
  is_native: z.boolean().optional(),
  is_exception: z.boolean().optional(),
  message: z.string().max(4096).optional(),
});

export const JavaProblemSchema = z.object({
  type: z.literal('java'),
  component,
  user: z.object({ root: z.boolean(), local: z.boolean() }).partial().optional(),
  serial: z.number().int().min(0).optional(),
  threads: z.array(z.object({ frames: z.array(JavaFrameSchema).min(1) })).min(1),
});

export const RubyProblemSchema = z.object({
  type: z.literal('ruby'),
  component,
  serial: z.number().int().min(0).optional(),
  exception_name: z.string().max(256),
  stacktrace: z
    .array(
      z.object({
        file_name: z.string().max(1024),
        file_line: z.number().int().min(0),
        function_name: z.string().max(1024).optional(),
        special_function: z.string().max(1024).optional(),
        block_level: z.number().int().optional(),
        rescue_level: z.number().int().optional(),
      }),
    )
    .min(1),
});

export const UReportProblemSchema = z.discriminatedUnion('type', [
  CoreProblemSchema,
  PythonProblemSchema,
  KerneloopsProblemSchema,
  JavaProblemSchema,
  RubyProblemSchema,
]);

export const UReportPackageSchema = z.object({
  name: z.string().max(256),
  epoch: z.number().int().min(0).optional(),
  version: z.string().max(256),
  release: z.string().max(256),
  architecture: z.string().max(64),
  install_time: z.number().int().min(0).optional(),
  package_role: z.string().max(64).optional(),
});

export const UReportV2Schema = z.object({
  ureport_version: z.literal(2, { error: 'ureport_version must be 2' }),
  reason: z.string().max(512).optional(),
  reporter: z.object({ name: z.string().max(64), version: z.string().max(64) }),
  os: z.object({
    name: z.string().max(64),
    version: z.string().max(64),
    architecture: z.string().max(64),
    cpe: z.string().max(256).optional(),
    desktop: z.string().max(256).optional(),
    variant: z.string().max(256).optional(),
    uptime: z.number().int().min(0).optional(),
  }),
  problem: UReportProblemSchema,
  packages: z.array(UReportPackageSchema),
  auth: z.record(z.string(), z.string()).optional(),
});

export type UReportV2 = z.infer<typeof UReportV2Schema>;
export type UReportProblem = z.infer<typeof UReportProblemSchema>;

/** FAF `/reports/attach/` body. */
export const UReportAttachmentSchema = z.object({
  bthash: hex.max(256),
  type: z.string().min(1).max(64),
  data: z.string().min(1).max(1024),
});
export type UReportAttachment = z.infer<typeof UReportAttachmentSchema>;
