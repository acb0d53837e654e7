/* Test-only stand-in for Windows' bcryptprimitives.dll, which Debian's Wine 8
   lacks: Rust's std calls its ProcessPrng at start for random numbers. It
   fills the buffer from advapi32's SystemFunction036 (RtlGenRandom), the
   generator ProcessPrng itself draws on. Real Windows has the DLL, so this is
   never shipped; tests/windows.rs builds it beside the test's rapor.exe only
   when that does not start without it.
   x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll bcryptprimitives.c -ladvapi32 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG n = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, n))
            return FALSE;
        data += n;
        length -= n;
    }
    return TRUE;
}
