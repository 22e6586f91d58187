/*
 * A stand-in for Windows' bcryptprimitives.dll, for running Rust programs
 * under Wine 8 only. Rust's std (1.78 and later) imports ProcessPrng from
 * bcryptprimitives.dll to seed HashMap keys; Wine 8 has no such DLL, so
 * every Rust exe fails to load (exit code 53, silent under WINEDEBUG=-all)
 * before main. Wine 9 ships its own; nothing here is used on real Windows.
 *
 * ProcessPrng fills the buffer from RtlGenRandom (advapi32's
 * SystemFunction036), Wine's system random source.
 */
#include <windows.h>

/* RtlGenRandom: declared by hand because ntsecapi.h's declaration is only
 * visible with extra defines under mingw. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    /* RtlGenRandom takes a 32-bit length: feed it in chunks. */
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance;
    (void)reason;
    (void)reserved;
    return TRUE;
}
