; CSU Console: the Windows installer (NSIS 3, Modern UI 2, Unicode). See BUILD.md.
;
;   makensis -DDIST=%CD%\dist\csu-console -DVERSION=0.1.0 -DWINSW=%CD%\WinSW-x64.exe
;            -DOUTFILE=%CD%\dist\csu-console-0.1.0-setup.exe packaging\windows\installer.nsi
;
; makensis works in the script's own folder: a relative path below is taken from
; packaging\windows, so name them in full (as above). Defines (all optional):
;   DIST     the PyInstaller one-folder bundle (csu-console.exe, csu-console-gui.exe when
;            built, _internal\); default: dist\csu-console beside packaging\
;   VERSION  x.y.z; default 0.1.0
;   OUTFILE  the installer to write; default dist\csu-console-VERSION-setup.exe
;   WINSW    WinSW-x64.exe (v2.12 or later), installed for the "service" role; default
;            packaging\windows\WinSW-x64.exe
;   LICENSE  a licence text shown on its own page (none by default)
;   SIGN     a signing command the installer and the uninstaller are given to, e.g.
;            "signtool sign /fd SHA256 /tr http://timestamp.digicert.com /td SHA256 /a"
;            (BUILD.md); never required
;
; Silent: setup.exe /S [/SITE=\\server\share\site.toml] [/ROLE=seat|service|both]
;         [/DESKTOP] [/D=C:\path]  (/D last, unquoted; quote a value holding a space or a
;         "/": /SITE="C:\Site files\site.toml"). Exit code 0 done, 2 refused or
;         failed: the reason is in %ProgramData%\CSU Console\logs\install.log.
;         No /SITE: a seat is installed without a site (its first run offers the demo or the
;         set-up assistant), the machine's earlier copy is kept on an upgrade; the service
;         (role service or both) refuses to install without one.
; The machine's configuration is written by the bundle's own exe (`csu-console
; install-config`, app/cli/install_config.py), so its logic is Python and tested.

Unicode true
ManifestDPIAware true
RequestExecutionLevel admin
SetCompressor /SOLID lzma

!define /ifndef VERSION "0.1.0"
!define /ifndef DIST "..\..\dist\csu-console"
!define /ifndef OUTFILE "..\..\dist\csu-console-${VERSION}-setup.exe"
!define /ifndef WINSW "WinSW-x64.exe"

!define PRODUCT "CSU Console"
!define PUBLISHER "CSU Console"
!define EXE "csu-console.exe"
!define CONTENTS "_internal"  ; PyInstaller 6's folder beside the exe(s)
!define SERVICE_EXE "csu-console-service.exe"
!define SERVICE_ID "csu-console"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${PRODUCT}"
!define PRODUCT_KEY "Software\${PRODUCT}"
; the one command line that writes the machine's configuration (tests/integration/
; test_nsis_installer.py runs this very template through app.main.main())
!define INSTALL_CONFIG '"$INSTDIR\${EXE}" install-config --site "$SiteFile" --role $ConfigRole'

!if /FileExists "${DIST}\${EXE}"
!else
  !error "no ${EXE} in DIST=${DIST}: build the bundle first (pyinstaller packaging/csu-console.spec) or name it with -DDIST=folder"
!endif
!if /FileExists "${WINSW}"
!else
  !error "no WinSW at WINSW=${WINSW}: download WinSW-x64.exe (v2.12 or later, github.com/winsw/winsw/releases) and name it with -DWINSW=file"
!endif
!if /FileExists "${DIST}\csu-console-gui.exe"
  !define GUI_EXE "csu-console-gui.exe"  ; the windowed build: no console window behind it
!else
  !define GUI_EXE "${EXE}"
!endif

!ifdef SIGN
  ; %1 is the file just written; makensis stops when the command fails
  !finalize '${SIGN} "%1"' = 0
  !uninstfinalize '${SIGN} "%1"' = 0
!endif

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${PRODUCT}"
InstallDirRegKey HKLM "${PRODUCT_KEY}" "InstallDir"
BrandingText "${PRODUCT} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "FileDescription" "${PRODUCT} setup"
VIAddVersionKey /LANG=0 "LegalCopyright" "${PUBLISHER}"

!include "MUI2.nsh"
!include "nsDialogs.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "x64.nsh"

Var Role        ; seat | service | both: what this machine is
Var ConfigRole  ; seat | service: what install-config writes ("both" runs the service)
Var SiteFile    ; the site file to install; empty: the first run offers demo or assistant
Var WantDesktop     ; 1: a desktop shortcut too
Var Dialog
Var SeatRadio
Var ServiceRadio
Var BothRadio
Var DesktopBox
Var SiteField

!define MUI_ABORTWARNING
!define MUI_ICON "${NSISDIR}\Contrib\Graphics\Icons\modern-install.ico"
!define MUI_UNICON "${NSISDIR}\Contrib\Graphics\Icons\modern-uninstall.ico"

!insertmacro MUI_PAGE_WELCOME
!ifdef LICENSE
  !insertmacro MUI_PAGE_LICENSE "${LICENSE}"
!endif
Page custom RolePage RolePageLeave
Page custom SitePage SitePageLeave
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!define MUI_UNCONFIRMPAGE_TEXT_TOP "$(UnKeeps)"
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "French"
!insertmacro MUI_LANGUAGE "English"

LangString RoleTitle ${LANG_FRENCH} "Rôle de ce poste"
LangString RoleTitle ${LANG_ENGLISH} "Role of this machine"
LangString RoleSub ${LANG_FRENCH} "Poste d'opérateur, service de la salle, ou les deux."
LangString RoleSub ${LANG_ENGLISH} "An operator's seat, the room's service, or both."
LangString RoleSeat ${LANG_FRENCH} "Poste d'opérateur : la console, avec son raccourci dans le menu Démarrer"
LangString RoleSeat ${LANG_ENGLISH} "Operator seat: the console, with its Start-menu shortcut"
LangString RoleService ${LANG_FRENCH} "Service de la salle : « csu-console serve » en service Windows, sans fenêtre"
LangString RoleService ${LANG_ENGLISH} "Room service: 'csu-console serve' as a Windows service, no window"
LangString RoleBoth ${LANG_FRENCH} "Les deux : le service et la console sur ce poste"
LangString RoleBoth ${LANG_ENGLISH} "Both: the service and the console on this machine"
LangString RoleDesktop ${LANG_FRENCH} "Raccourci sur le Bureau"
LangString RoleDesktop ${LANG_ENGLISH} "Desktop shortcut"
LangString SiteTitle ${LANG_FRENCH} "Fichier de site"
LangString SiteTitle ${LANG_ENGLISH} "Site file"
LangString SiteSub ${LANG_FRENCH} "Le fichier .toml qui décrit la salle (caméras, carte, systèmes)."
LangString SiteSub ${LANG_ENGLISH} "The .toml file that describes the room (cameras, map, systems)."
LangString SiteHelp ${LANG_FRENCH} "Il est vérifié puis copié dans %ProgramData%\CSU Console (un fichier sur un partage aussi : le poste démarre quand le partage est absent). Laissé vide pour un poste d'opérateur, la console propose au premier lancement la démo ou l'assistant de configuration. Le service en a besoin."
LangString SiteHelp ${LANG_ENGLISH} "It is checked, then copied into %ProgramData%\CSU Console (a file on a share too: the machine starts when the share is away). Left empty for an operator seat, the console offers the demo or the set-up assistant on its first run. The service needs one."
LangString SiteBrowse ${LANG_FRENCH} "Parcourir..."
LangString SiteBrowse ${LANG_ENGLISH} "Browse..."
LangString SiteFilter ${LANG_FRENCH} "Fichiers de site (*.toml)|*.toml|Tous les fichiers|*.*"
LangString SiteFilter ${LANG_ENGLISH} "Site files (*.toml)|*.toml|All files|*.*"
LangString SiteNeeded ${LANG_FRENCH} "Le service de la salle a besoin d'un fichier de site : choisissez-le (ou choisissez le rôle « Poste d'opérateur »)."
LangString SiteNeeded ${LANG_ENGLISH} "The room's service needs a site file: choose one (or choose the 'Operator seat' role)."
LangString SiteMissing ${LANG_FRENCH} "Ce fichier de site n'existe pas ou n'est pas lisible :"
LangString SiteMissing ${LANG_ENGLISH} "This site file does not exist or cannot be read:"
LangString ConfigFailed ${LANG_FRENCH} "Le fichier de site n'a pas pu être installé. Corrigez-le puis relancez l'installation (le programme est copié, ce poste n'est pas configuré) :"
LangString ConfigFailed ${LANG_ENGLISH} "The site file could not be installed. Fix it, then run the installer again (the program is copied, this machine is not configured):"
LangString ServiceFailed ${LANG_FRENCH} "Le service Windows n'a pas pu être installé :"
LangString ServiceFailed ${LANG_ENGLISH} "The Windows service could not be installed:"
LangString ServiceNotStarted ${LANG_FRENCH} "Le service est installé mais n'a pas démarré ; voir %ProgramData%\CSU Console\logs\service.log :"
LangString ServiceNotStarted ${LANG_ENGLISH} "The service is installed but did not start; see %ProgramData%\CSU Console\logs\service.log:"
LangString Needs64 ${LANG_FRENCH} "CSU Console demande un Windows 64 bits."
LangString Needs64 ${LANG_ENGLISH} "CSU Console needs a 64-bit Windows."
LangString BadRole ${LANG_FRENCH} "/ROLE= attend seat, service ou both ; reçu :"
LangString BadRole ${LANG_ENGLISH} "/ROLE= expects seat, service or both; got:"
LangString UnKeeps ${LANG_FRENCH} "CSU Console va être désinstallé (programme, raccourcis, service Windows). Sont conservés : %ProgramData%\CSU Console (fichier de site, configuration du poste, journaux du service et de l'installation), ainsi que le journal des opérateurs et les enregistrements dans leurs dossiers de données. Supprimez-les à la main s'il le faut."
LangString UnKeeps ${LANG_ENGLISH} "CSU Console will be removed (program, shortcuts, Windows service). Kept: %ProgramData%\CSU Console (site file, machine configuration, service and install logs), and the operators' journal and recordings in their data folders. Remove them by hand if need be."

; --- logging and failing: the install log is what a silent roll-out leaves behind ------

!macro Log text
  Push `${text}`
  Call WriteLog
!macroend

Function WriteLog
  Exch $0
  Push $1
  Push $2
  Push $3
  Push $4
  Push $5
  Push $6
  Push $7
  DetailPrint $0
  CreateDirectory "$APPDATA\${PRODUCT}\logs"
  ${GetTime} "" "L" $1 $2 $3 $4 $5 $6 $7
  StrCpy $2 "$3-$2-$1 $5:$6:$7"
  ClearErrors
  FileOpen $1 "$APPDATA\${PRODUCT}\logs\install.log" a
  ${IfNot} ${Errors}
    FileSeek $1 0 END
    FileWrite $1 "$2 ${VERSION} $0$\r$\n"
    FileClose $1
  ${EndIf}
  Pop $7
  Pop $6
  Pop $5
  Pop $4
  Pop $3
  Pop $2
  Pop $1
  Pop $0
FunctionEnd

; the message on the stack: logged, shown (unless silent), exit code 2, installation stops
!macro Fail text
  !insertmacro Log `${text}`
  MessageBox MB_ICONSTOP|MB_OK `${text}` /SD IDOK
  SetErrorLevel 2
  Abort
!macroend

!macro FailInit text
  !insertmacro Log `${text}`
  MessageBox MB_ICONSTOP|MB_OK `${text}` /SD IDOK
  SetErrorLevel 2
  Quit
!macroend

; --- start: the silent parameters ---------------------------------------------------

Function .onInit
  SetShellVarContext all  ; $APPDATA is %ProgramData%, shortcuts for every user
  ${IfNot} ${RunningX64}
    !insertmacro FailInit "$(Needs64)"
  ${EndIf}
  SetRegView 64
  StrCpy $Role "seat"
  StrCpy $WantDesktop "0"
  ReadRegStr $0 HKLM "${PRODUCT_KEY}" "Role"  ; a re-install keeps the role chosen before
  ${If} $0 != ""
    StrCpy $Role $0
  ${EndIf}
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/SITE=" $SiteFile
  ClearErrors
  ${GetOptions} $R0 "/ROLE=" $0
  ${IfNot} ${Errors}
    StrCpy $Role $0
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/DESKTOP" $0
  ${IfNot} ${Errors}
    StrCpy $WantDesktop "1"
  ${EndIf}
  ${If} $Role != "seat"
  ${AndIf} $Role != "service"
  ${AndIf} $Role != "both"
    !insertmacro FailInit "$(BadRole) $Role"
  ${EndIf}
  ; no site named: the machine's own copy when it has one (an upgrade keeps its site)
  ${If} $SiteFile == ""
  ${AndIf} ${FileExists} "$APPDATA\${PRODUCT}\site.toml"
    StrCpy $SiteFile "$APPDATA\${PRODUCT}\site.toml"
  ${EndIf}
  ${If} ${Silent}
    !insertmacro Log "silent install: role $Role, site file '$SiteFile', folder $INSTDIR"
    ${If} $SiteFile == ""
    ${AndIf} $Role != "seat"
      !insertmacro FailInit "$(SiteNeeded)"
    ${EndIf}
  ${EndIf}
FunctionEnd

Function un.onInit
  SetShellVarContext all
  SetRegView 64
FunctionEnd

; --- pages -------------------------------------------------------------------------

Function RolePage
  !insertmacro MUI_HEADER_TEXT "$(RoleTitle)" "$(RoleSub)"
  nsDialogs::Create 1018
  Pop $Dialog
  ${If} $Dialog == error
    Abort
  ${EndIf}
  ${NSD_CreateRadioButton} 0 10u 100% 14u "$(RoleSeat)"
  Pop $SeatRadio
  ${NSD_CreateRadioButton} 0 30u 100% 14u "$(RoleService)"
  Pop $ServiceRadio
  ${NSD_CreateRadioButton} 0 50u 100% 14u "$(RoleBoth)"
  Pop $BothRadio
  ${NSD_CreateCheckbox} 0 80u 100% 12u "$(RoleDesktop)"
  Pop $DesktopBox
  ${If} $Role == "service"
    ${NSD_Check} $ServiceRadio
  ${ElseIf} $Role == "both"
    ${NSD_Check} $BothRadio
  ${Else}
    ${NSD_Check} $SeatRadio
  ${EndIf}
  ${If} $WantDesktop == "1"
    ${NSD_Check} $DesktopBox
  ${EndIf}
  nsDialogs::Show
FunctionEnd

Function RolePageLeave
  ${NSD_GetState} $ServiceRadio $0
  ${NSD_GetState} $BothRadio $1
  ${If} $0 == ${BST_CHECKED}
    StrCpy $Role "service"
  ${ElseIf} $1 == ${BST_CHECKED}
    StrCpy $Role "both"
  ${Else}
    StrCpy $Role "seat"
  ${EndIf}
  ${NSD_GetState} $DesktopBox $0
  ${If} $0 == ${BST_CHECKED}
    StrCpy $WantDesktop "1"
  ${Else}
    StrCpy $WantDesktop "0"
  ${EndIf}
FunctionEnd

Function SitePage
  !insertmacro MUI_HEADER_TEXT "$(SiteTitle)" "$(SiteSub)"
  nsDialogs::Create 1018
  Pop $Dialog
  ${If} $Dialog == error
    Abort
  ${EndIf}
  ${NSD_CreateLabel} 0 0 100% 60u "$(SiteHelp)"
  Pop $0
  ${NSD_CreateText} 0 66u 78% 13u "$SiteFile"
  Pop $SiteField
  ${NSD_CreateBrowseButton} 80% 65u 20% 15u "$(SiteBrowse)"
  Pop $0
  ${NSD_OnClick} $0 BrowseSite
  nsDialogs::Show
FunctionEnd

Function BrowseSite
  ${NSD_GetText} $SiteField $0
  nsDialogs::SelectFileDialog open "$0" "$(SiteFilter)"
  Pop $0
  ${If} $0 != ""
    ${NSD_SetText} $SiteField $0
  ${EndIf}
FunctionEnd

Function SitePageLeave
  ${NSD_GetText} $SiteField $SiteFile
  ${If} $SiteFile == ""
    ${If} $Role != "seat"
      MessageBox MB_ICONEXCLAMATION|MB_OK "$(SiteNeeded)"
      Abort  ; stays on the page
    ${EndIf}
  ${ElseIfNot} ${FileExists} "$SiteFile"
    MessageBox MB_ICONEXCLAMATION|MB_OK "$(SiteMissing)$\r$\n$SiteFile"
    Abort
  ${EndIf}
FunctionEnd

; --- install -------------------------------------------------------------------------

Function StopService  ; a service of an earlier install holds the files being replaced
  ${If} ${FileExists} "$INSTDIR\service\${SERVICE_EXE}"
    nsExec::ExecToLog '"$INSTDIR\service\${SERVICE_EXE}" stop'
    Pop $0
  ${EndIf}
FunctionEnd

Function RemoveService
  ${If} ${FileExists} "$INSTDIR\service\${SERVICE_EXE}"
    nsExec::ExecToLog '"$INSTDIR\service\${SERVICE_EXE}" stop'
    Pop $0
    nsExec::ExecToLog '"$INSTDIR\service\${SERVICE_EXE}" uninstall'
    Pop $0
    RMDir /r "$INSTDIR\service"
  ${EndIf}
FunctionEnd

Function InstallConfig
  ${If} $Role == "seat"
    StrCpy $ConfigRole "seat"
  ${Else}
    StrCpy $ConfigRole "service"
  ${EndIf}
  !insertmacro Log "install-config: site file $SiteFile, role $ConfigRole"
  nsExec::ExecToStack '${INSTALL_CONFIG}'
  Pop $0  ; the exit code, or "error" when the exe could not start
  Pop $1  ; what it said (standard output and error)
  !insertmacro Log "$1"
  ${If} $0 != "0"
    !insertmacro Fail "$(ConfigFailed)$\r$\n$\r$\n$1 (exit code $0)"
  ${EndIf}
FunctionEnd

Function InstallService
  SetOutPath "$INSTDIR\service"
  File "/oname=${SERVICE_EXE}" "${WINSW}"
  File "/oname=csu-console-service.xml" "csu-console-service.xml"
  ReadRegStr $0 HKLM "SYSTEM\CurrentControlSet\Services\${SERVICE_ID}" "ImagePath"
  ${If} $0 == ""
    nsExec::ExecToStack '"$INSTDIR\service\${SERVICE_EXE}" install'
  ${Else}  ; already installed: take the XML's settings again
    nsExec::ExecToStack '"$INSTDIR\service\${SERVICE_EXE}" refresh'
  ${EndIf}
  Pop $0
  Pop $1
  !insertmacro Log "$1"
  ${If} $0 != "0"
    !insertmacro Fail "$(ServiceFailed)$\r$\n$1 (exit code $0)"
  ${EndIf}
  nsExec::ExecToStack '"$INSTDIR\service\${SERVICE_EXE}" start'
  Pop $0
  Pop $1
  ${If} $0 != "0"  ; installed all the same: the cause is in its log, it is retried
    !insertmacro Log "$(ServiceNotStarted) $1 (exit code $0)"
    ${IfNot} ${Silent}
      MessageBox MB_ICONEXCLAMATION|MB_OK "$(ServiceNotStarted)$\r$\n$1"
    ${EndIf}
  ${EndIf}
  SetOutPath "$INSTDIR"
FunctionEnd

Section "CSU Console" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  Call StopService
  File /r "${DIST}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKLM "${PRODUCT_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${PRODUCT_KEY}" "Role" "$Role"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${GUI_EXE}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2  ; $0: kilobytes, as Add/Remove Programs counts
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" "$0"
  CreateDirectory "$APPDATA\${PRODUCT}\logs"

  ${If} $SiteFile != ""
    Call InstallConfig
  ${Else}
    !insertmacro Log "no site file: the console offers the demo or the set-up assistant on its first run"
  ${EndIf}

  Delete "$SMPROGRAMS\${PRODUCT}.lnk"
  Delete "$DESKTOP\${PRODUCT}.lnk"
  ${If} $Role != "service"
    CreateShortCut "$SMPROGRAMS\${PRODUCT}.lnk" "$INSTDIR\${GUI_EXE}"
    ${If} $WantDesktop == "1"
      CreateShortCut "$DESKTOP\${PRODUCT}.lnk" "$INSTDIR\${GUI_EXE}"
    ${EndIf}
  ${EndIf}

  ${If} $Role == "seat"
    Call RemoveService  ; a machine that ran the service before no longer does
  ${Else}
    Call InstallService
  ${EndIf}
  !insertmacro Log "installed: role $Role in $INSTDIR"
SectionEnd

; --- uninstall: the program goes, the machine's and the users' data stay --------------

Section "Uninstall"
  ${If} ${FileExists} "$INSTDIR\service\${SERVICE_EXE}"
    nsExec::ExecToLog '"$INSTDIR\service\${SERVICE_EXE}" stop'
    Pop $0
    nsExec::ExecToLog '"$INSTDIR\service\${SERVICE_EXE}" uninstall'
    Pop $0
  ${EndIf}
  Delete "$SMPROGRAMS\${PRODUCT}.lnk"
  Delete "$DESKTOP\${PRODUCT}.lnk"
  RMDir /r "$INSTDIR\service"
  RMDir /r "$INSTDIR\${CONTENTS}"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\csu-console-gui.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"  ; only when empty: nothing else the folder holds is removed
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  DeleteRegKey HKLM "${PRODUCT_KEY}"
  ; kept: %ProgramData%\CSU Console (site.toml, console.toml, logs) and the users' data
SectionEnd
