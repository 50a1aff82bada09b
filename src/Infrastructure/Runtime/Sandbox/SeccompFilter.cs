using System.Buffers.Binary;

namespace FunctionsPlatform.Infrastructure.Runtime.Sandbox;

/// <summary>
/// The classic-BPF seccomp program bubblewrap installs (<c>--seccomp FD</c>) right before it execs the function's
/// process tree. It denies the calls that reach kernel surfaces a function never needs (ptrace, mounts, keyrings, bpf,
/// perf, userfaultfd, modules, kexec, reboot, swap, file handles, cross-process memory, io_uring) and the creation of
/// namespaces, a user namespace above all: inside one, code would regain every capability over its own mounts.
/// Only x86_64 and aarch64 are allowed; x32 calls (and any other architecture) kill the process.
/// </summary>
internal static class SeccompFilter
{
    private const uint AuditArchX8664 = 0xC000003E;
    private const uint AuditArchAarch64 = 0xC00000B7;
    private const uint X32SyscallBit = 0x40000000;

    private const uint RetKillProcess = 0x80000000;
    private const uint RetAllow = 0x7FFF0000;
    private const uint RetErrno = 0x00050000;
    private const uint Eperm = 1;
    private const uint Enosys = 38;

    // CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET.
    private const uint NamespaceFlags = 0x7E020000;

    // unshare also takes CLONE_NEWTIME (0x80); in clone's flags that bit is part of the exit signal.
    private const uint UnshareNamespaceFlags = NamespaceFlags | 0x80;

    private const ushort LoadWordAbsolute = 0x20;
    private const ushort JumpIfEqual = 0x15;
    private const ushort JumpIfGreaterOrEqual = 0x35;
    private const ushort JumpIfAnyBitSet = 0x45;
    private const ushort Return = 0x06;

    private const uint OffsetNr = 0;
    private const uint OffsetArch = 4;
    private const uint OffsetFirstArgumentLow = 16;

    /// <summary>System call numbers per architecture (x86_64 table, asm-generic table for aarch64).</summary>
    private sealed record Table(uint Arch, bool RejectX32, uint[] Denied, uint CloneNr, uint Unshare, uint Clone3);

    private static readonly Table X8664 = new(
        AuditArchX8664,
        RejectX32: true,
        Denied:
        [
            101, // ptrace
            165, 166, 155, // mount, umount2, pivot_root
            428, 429, 430, 431, 432, 433, 442, // open_tree, move_mount, fsopen, fsconfig, fsmount, fspick, mount_setattr
            250, 248, 249, // keyctl, add_key, request_key
            321, 298, 323, // bpf, perf_event_open, userfaultfd
            175, 313, 176, // init_module, finit_module, delete_module
            246, 320, 169, // kexec_load, kexec_file_load, reboot
            167, 168, // swapon, swapoff
            308, // setns
            304, 303, // open_by_handle_at, name_to_handle_at
            310, 311, // process_vm_readv, process_vm_writev
            425, 426, 427, // io_uring_setup, io_uring_enter, io_uring_register
            163, 179, 103, 161, 312, // acct, quotactl, syslog, chroot, kcmp
        ],
        CloneNr: 56,
        Unshare: 272,
        Clone3: 435);

    private static readonly Table Aarch64 = new(
        AuditArchAarch64,
        RejectX32: false,
        Denied:
        [
            117, // ptrace
            40, 39, 41, // mount, umount2, pivot_root
            428, 429, 430, 431, 432, 433, 442, // open_tree, move_mount, fsopen, fsconfig, fsmount, fspick, mount_setattr
            219, 217, 218, // keyctl, add_key, request_key
            280, 241, 282, // bpf, perf_event_open, userfaultfd
            105, 273, 106, // init_module, finit_module, delete_module
            104, 294, 142, // kexec_load, kexec_file_load, reboot
            224, 225, // swapon, swapoff
            268, // setns
            265, 264, // open_by_handle_at, name_to_handle_at
            270, 271, // process_vm_readv, process_vm_writev
            425, 426, 427, // io_uring_setup, io_uring_enter, io_uring_register
            89, 60, 116, 51, 272, // acct, quotactl, syslog, chroot, kcmp
        ],
        CloneNr: 220,
        Unshare: 97,
        Clone3: 435);

    /// <summary>The program as bubblewrap reads it: consecutive 8-byte <c>struct sock_filter</c> in host byte order (little-endian on both).</summary>
    public static byte[] Build()
    {
        var x86 = ArchitectureBlock(X8664);
        var arm = ArchitectureBlock(Aarch64);
        var program = new List<Instruction>
        {
            Load(OffsetArch),
            new(JumpIfEqual, 2, 0, X8664.Arch), // → the x86_64 block, after the two instructions below
            new(JumpIfEqual, Checked(1 + x86.Count), 0, Aarch64.Arch), // → the aarch64 block
            Ret(RetKillProcess),
        };
        program.AddRange(x86);
        program.AddRange(arm);

        var bytes = new byte[program.Count * 8];
        for (var i = 0; i < program.Count; i++)
        {
            var span = bytes.AsSpan(i * 8, 8);
            BinaryPrimitives.WriteUInt16LittleEndian(span, program[i].Code);
            span[2] = program[i].JumpIfTrue;
            span[3] = program[i].JumpIfFalse;
            BinaryPrimitives.WriteUInt32LittleEndian(span[4..], program[i].K);
        }

        return bytes;
    }

    /// <summary>Writes the program to a root-owned, world-readable file the launcher opens on the fd it hands to bwrap.</summary>
    public static void WriteTo(string path)
    {
        File.WriteAllBytes(path, Build());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }

    private static List<Instruction> ArchitectureBlock(Table table)
    {
        var block = new List<Instruction> { Load(OffsetNr) };
        if (table.RejectX32)
        {
            block.Add(new(JumpIfGreaterOrEqual, 0, 1, X32SyscallBit));
            block.Add(Ret(RetKillProcess));
        }

        foreach (var nr in table.Denied)
        {
            block.Add(new(JumpIfEqual, 0, 1, nr));
            block.Add(Ret(RetErrno | Eperm));
        }

        // glibc falls back to clone when clone3 answers ENOSYS; clone3's flags sit behind a pointer BPF cannot follow.
        block.Add(new(JumpIfEqual, 0, 1, table.Clone3));
        block.Add(Ret(RetErrno | Enosys));

        AddFlagCheck(block, table.CloneNr, NamespaceFlags);
        AddFlagCheck(block, table.Unshare, UnshareNamespaceFlags);
        block.Add(Ret(RetAllow));
        return block;
    }

    /// <summary>Call <paramref name="nr"/> with any of <paramref name="flags"/> in its first argument → EPERM; without → allowed.</summary>
    private static void AddFlagCheck(List<Instruction> block, uint nr, uint flags)
    {
        block.Add(new(JumpIfEqual, 0, 4, nr));
        block.Add(Load(OffsetFirstArgumentLow));
        block.Add(new(JumpIfAnyBitSet, 0, 1, flags));
        block.Add(Ret(RetErrno | Eperm));
        block.Add(Ret(RetAllow));
    }

    private static Instruction Load(uint offset) => new(LoadWordAbsolute, 0, 0, offset);

    private static Instruction Ret(uint action) => new(Return, 0, 0, action);

    private static byte Checked(int jump) =>
        jump is >= 0 and <= byte.MaxValue ? (byte)jump : throw new InvalidOperationException("The seccomp program's jump is too long.");

    private readonly record struct Instruction(ushort Code, byte JumpIfTrue, byte JumpIfFalse, uint K);
}
