// What `lab check --init <file>` writes: an app file with every field, each explained.
export const starterAppFile = `# session-lab app file: describes your app to \`npm run lab -- check <this file>\`.
# Paths are relative to this file's directory.
name: my-app                  # lower-case letters, digits and "-"

node:                         # how one node of the app starts
  command: [node, server.js]  # the local backend runs this in this directory
  # build: .                  # --backend compose builds this context (or: image: my/app:tag)
  port: 3000                  # the port it listens on inside its container
  ready: /healthz             # a path that answers 200 once the node is up
  environment:                # your app's own variables; the lab fills in the placeholders:
    PORT: "{port}"            #   {port} each node's port, {node} its name (server_1, …),
    SESSION_SECRET: "{secret}" #  {secret} one secret for every node, {redis_url},
                              #   {database_url}, {file_dir} the store the lab starts

session:
  cookie: connect.sid         # the session cookie's name

stores:                       # the stores your app can run on, each with what tells it to
  memory: {}
  redis:
    REDIS_URL: "{redis_url}"

roundTrip:                    # how the lab tells that a session continues
  write:                      # a request that writes a value the lab makes up ({value})
    method: POST
    path: /notes
    json: { note: "{value}" } # or form: { note: "{value}" }
  read:                       # a request whose answer shows every value written so far
    path: /notes
    find: text                # anywhere in the body, or { json: notes } for a JSON path

# login:                      # optional (a round trip, a login, or both): the login checks
#   user: demo                # the user every device logs in as (or signup: a request that
#   password: demo-password   #   makes one, and each device signs up a user of its own)
#   request:                  # the login, with {user} and {password}
#     method: POST
#     path: /login
#     json: { username: "{user}", password: "{password}" }
#   loggedIn:                 # a GET whose 2xx answer matches pattern only when logged in
#     path: /me
#     pattern: '"user":"{user}"'
#   logout: { method: POST, path: /logout }
#   # logoutEverywhere: { method: POST, path: /logout-all }

# expect:                     # optional: the outcome you expect of each check, per store;
#   memory:                   # \`lab check\` then exits 0 only when every one holds
#     round-robin: lost
#   redis:
#     round-robin: kept
`;
