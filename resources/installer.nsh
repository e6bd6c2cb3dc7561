; Included by electron-builder's NSIS installer (nsis.include). Puts the `fieldjobs` command on the
; user's PATH without editing PATH: %LOCALAPPDATA%\Microsoft\WindowsApps is on every user's PATH since
; Windows 10, so a one-line fieldjobs.cmd there calls the app's own launcher (resources\cli\fieldjobs.cmd,
; Electron in Node mode). The install is per user (nsis.perMachine: false), as that folder is.

!macro customInstall
  CreateDirectory "$LOCALAPPDATA\Microsoft\WindowsApps"
  FileOpen $0 "$LOCALAPPDATA\Microsoft\WindowsApps\fieldjobs.cmd" w
  FileWrite $0 "@$\"$INSTDIR\resources\cli\fieldjobs.cmd$\" %*$\r$\n"
  FileClose $0
!macroend

!macro customUnInstall
  Delete "$LOCALAPPDATA\Microsoft\WindowsApps\fieldjobs.cmd"
!macroend
