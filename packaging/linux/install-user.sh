#!/bin/sh
# Install the built app for the current user, without root:
#   packaging/linux/install-user.sh [BUILT_FOLDER]     (default: dist/invictus-desktop)
# The app goes to ~/.local/share/invictus-desktop/app, the command to
# ~/.local/bin, and the menu entry, icons and AppStream data to the usual XDG
# folders. Running it again upgrades in place; profiles live elsewhere.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
built=${1:-$here/../../dist/invictus-desktop}
app_id=education.invictus.QuadDesktop
data=${XDG_DATA_HOME:-$HOME/.local/share}
target=$data/invictus-desktop/app
icons=$built/_internal/invictus_desktop/_data/resources/icons

if [ ! -x "$built/invictus-desktop" ]; then
    echo "No built app in $built; run ./dev build first." >&2
    exit 1
fi

# Copy beside the old copy, then swap, so a failed copy leaves the old one working.
mkdir -p "$(dirname "$target")"
rm -rf "$target.new"
cp -R "$built" "$target.new"
rm -rf "$target"
mv "$target.new" "$target"

mkdir -p "$HOME/.local/bin"
ln -sf "$target/invictus-desktop" "$HOME/.local/bin/invictus-desktop"

for size in 16 32 48 64 128 256 512; do
    dir=$data/icons/hicolor/${size}x${size}/apps
    mkdir -p "$dir"
    cp "$icons/invictus-desktop-$size.png" "$dir/invictus-desktop.png"
done

# The menu entry names the installed executable, as ~/.local/bin may not be on PATH.
mkdir -p "$data/applications" "$data/metainfo"
sed "s|^Exec=.*|Exec=\"$target/invictus-desktop\"|" "$here/$app_id.desktop" \
    > "$data/applications/$app_id.desktop"
cp "$here/$app_id.metainfo.xml" "$data/metainfo/"

if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$data/applications" || true
fi
echo "Installed in $target; start it from the menu or with ~/.local/bin/invictus-desktop."
