/* Test helper for tests/windows.rs: holds a file or folder open the way a
   browser, an editor or a terminal opened in it does (sharing reading and
   writing, not deletion), says "holding", and lets go after some seconds.
   x86_64-w64-mingw32-gcc -municode -o hold.exe hold.c
   Usage: hold.exe PATH SECONDS */
#include <windows.h>
#include <stdio.h>

int wmain(int argc, wchar_t **argv)
{
    if (argc != 3)
        return 2;
    HANDLE h = CreateFileW(argv[1], GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        printf("cannot open: error %lu\n", GetLastError());
        return 1;
    }
    printf("holding\n");
    fflush(stdout);
    Sleep(_wtoi(argv[2]) * 1000);
    CloseHandle(h);
    return 0;
}
