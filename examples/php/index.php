<?php
// A small PHP app the way many start: notes kept in $_SESSION, PHP's default handler (one file per
// session in the session directory, locked while a request holds it).
$dir = getenv('SESSION_DIR');
if ($dir !== false && $dir !== '') {
    if (!is_dir($dir)) mkdir($dir, 0700, true);
    session_save_path($dir);
}
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
header('Content-Type: application/json');

if ($path === '/healthz') {
    echo '"ok"';
    return;
}
if (!in_array($path, ['/notes', '/login', '/me', '/logout'], true)) {
    http_response_code(404);
    echo json_encode(['error' => 'not found']);
    return;
}
session_start();

// A login the way many tutorials write it: one demo user, the name put into the session as it is.
$users = [getenv('DEMO_USER') ?: 'demo' => getenv('DEMO_PASSWORD') ?: 'demo-password'];
if ($path === '/login') {
    $user = $_POST['username'] ?? '';
    if (!isset($users[$user]) || $users[$user] !== ($_POST['password'] ?? '')) {
        http_response_code(401);
        echo json_encode(['error' => 'wrong username or password']);
        return;
    }
    $_SESSION['user'] = $user;
    echo json_encode(['user' => $user]);
    return;
}
if ($path === '/me') {
    if (!isset($_SESSION['user'])) http_response_code(401);
    echo json_encode(isset($_SESSION['user']) ? ['user' => $_SESSION['user']] : ['error' => 'not logged in']);
    return;
}
if ($path === '/logout') {
    session_destroy();
    echo json_encode(['ok' => true]);
    return;
}
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $note = $_POST['note'] ?? '';
    if ($note === '') {
        http_response_code(400);
        echo json_encode(['error' => 'note is required']);
        return;
    }
    $_SESSION['notes'][] = $note;
    http_response_code(201);
}
echo json_encode(['notes' => $_SESSION['notes'] ?? []]);
