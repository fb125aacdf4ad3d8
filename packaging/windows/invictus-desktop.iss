; Inno Setup 6 script: a per-user installer for the folder PyInstaller builds.
; On Windows, from the repository root, after building dist\invictus-desktop\:
;   iscc /DAppVersion=0.1.0 packaging\windows\invictus-desktop.iss
; It writes dist\invictus-quad-setup-<version>.exe. No administrator rights are
; needed to install; IT can still install for all users with /ALLUSERS.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Invictus QUAD"
#define AppPublisher "Invictus Education Trust"
#define AppExe "invictus-desktop.exe"
#define Root "..\.."
#define Built Root + "\dist\invictus-desktop"

[Setup]
; The AppId ties upgrades and the uninstaller together: never change it.
AppId={{4C20BE54-278B-4093-AAF7-924CFAB847CE}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersion}
VersionInfoCompany={#AppPublisher}
VersionInfoDescription={#AppName} installer
VersionInfoProductName={#AppName}
VersionInfoProductVersion={#AppVersion}
; Per-user by default: {autopf} is then %LOCALAPPDATA%\Programs.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
SetupIconFile={#Root}\resources\icons\invictus-desktop.ico
OutputDir={#Root}\dist
OutputBaseFilename=invictus-quad-setup-{#AppVersion}
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Offer to close a running copy so its files can be replaced.
CloseApplications=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the bundled libraries wholesale, so none from an older
; version lingers. Profiles live in %APPDATA%, never here, and are untouched.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Built}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
