/* Test helper for tests/windows.rs: holds a file or folder open the way a
   browser, an editor or a terminal opened in it does (sharing reading and
   writing, not deletion), or as Excel holds an open workbook (sharing
   nothing: "exclusive"), says "holding", and lets go after some seconds.
   x86_64-w64-mingw32-gcc -municode -o hold.exe hold.c
   Usage: hold.exe PATH SECONDS [exclusive] */
#include <windows.h>
#include <stdio.h>

int wmain(int argc, wchar_t **argv)
{
    if (argc != 3 && argc != 4)
        return 2;
    DWORD share = argc == 4 ? 0 : FILE_SHARE_READ | FILE_SHARE_WRITE;
    HANDLE h = CreateFileW(argv[1], GENERIC_READ, share, NULL,
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
