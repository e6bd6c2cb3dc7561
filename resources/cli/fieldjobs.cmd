@echo off
rem The `fieldjobs` command of the installed app (Windows): Electron's own binary in Node mode runs
rem the built CLI from the app's resources. The installer puts a fieldjobs.cmd calling this one on the
rem user's PATH (resources\installer.nsh).
setlocal
set ELECTRON_RUN_AS_NODE=1
"%~dp0..\..\Fieldjobs.exe" "%~dp0..\app.asar.unpacked\out\cli\fieldjobs.mjs" %*
exit /b %ERRORLEVEL%
